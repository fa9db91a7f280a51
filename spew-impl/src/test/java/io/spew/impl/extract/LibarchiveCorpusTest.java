package io.spew.impl.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real archives of other tar writers (libarchive's test data, /work/shared/corpus/libarchive): each
 * extracts, to the files and contents GNU tar extracts, or is refused with INVALID_BUILD, within
 * seconds; nothing else escapes, nothing hangs.
 */
class LibarchiveCorpusTest {
    private static final Path CORPUS = Path.of(System.getProperty("spew.corpus", "../../shared/corpus/libarchive"));

    @TempDir
    Path work;

    static Stream<Path> archives() throws IOException {
        Path corpus = CORPUS.toAbsolutePath().normalize();
        if (!Files.isDirectory(corpus)) {
            return Stream.of(corpus.resolve("missing"));
        }
        try (Stream<Path> files = Files.list(corpus)) {
            List<Path> archives = files.filter(file -> !file.getFileName().toString().endsWith(".md")).sorted()
                    .toList();
            return archives.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("archives")
    void extractsAsGnuTarDoesOrIsRefusedWithinSeconds(Path archive) throws Exception {
        // CI always has the corpus beside the checkout: there, a missing corpus is a failure, not a skip.
        assertThat("true".equals(System.getenv("CI")) && !Files.isRegularFile(archive))
                .as("no corpus at %s", archive.getParent()).isFalse();
        assumeTrue(Files.isRegularFile(archive), "no corpus at " + archive.getParent());
        Path root = Files.createDirectory(work.resolve("root"));
        String outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (InputStream in = Decompressors.open(Files.newInputStream(archive), archive.getFileName().toString())) {
                return "extracted: " + new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, root);
            } catch (SpewException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BUILD);
                return "refused: " + e.getMessage();
            }
        });
        System.out.println(archive.getFileName() + " " + outcome);
        if (outcome.startsWith("extracted")) {
            assertThat(contents(root)).isEqualTo(contents(gnuTar(archive)));
        }
    }

    /** What GNU tar extracts from the archive, warnings and all. */
    private Path gnuTar(Path archive) throws Exception {
        Path tree = Files.createDirectory(work.resolve("gnu"));
        Process tar = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", tree.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        tar.waitFor();
        return tree;
    }

    /** Every path below root with its type and content (hash or link target): what both must agree on. */
    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String content = Files.isSymbolicLink(path) ? "-> " + Files.readSymbolicLink(path)
                        : Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "directory"
                        : Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Canary.sha256(path) : "other";
                contents.put(root.relativize(path).toString(), content);
            }
        }
        return contents;
    }
}
