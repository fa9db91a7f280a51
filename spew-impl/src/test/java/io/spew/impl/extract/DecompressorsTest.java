package io.spew.impl.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compression of an archive is told by its content, whatever its name says. */
class DecompressorsTest {
    @TempDir
    Path work;

    private final byte[] content = randomBytes(300_000);
    private final byte[] tar = new RawTar().directory("etc/").file("etc/hostname", "box\n")
            .file("big", content, 0644).build();

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "zstd", "bzip2"})
    void everyCompressionOfTheCommandLineToolsIsDetectedByContent(String tool) throws Exception {
        Path plain = Files.write(work.resolve("build.tar"), tar);
        Path compressed = work.resolve("misleading.zip");
        Process process = new ProcessBuilder(tool, "-c", plain.toString()).redirectOutput(compressed.toFile()).start();
        assertThat(process.waitFor()).isZero();
        assertExtracts(Files.readAllBytes(compressed), "misleading.zip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "zst", "xz", "bz2", "tar"})
    void everyCompressionOfTheJavaLibrariesIsDetectedByContent(String format) throws IOException {
        String misleading = format.equals("tar") ? "build.tar.gz" : "build.tar";
        assertExtracts(HostileArchivesTest.compress(tar, format), misleading);
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws IOException {
        int half = tar.length / 2;
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(gzip(Arrays.copyOfRange(tar, 0, half)));
        both.writeBytes(gzip(Arrays.copyOfRange(tar, half, tar.length)));
        assertExtracts(both.toByteArray(), "two-members.tar.gz");
    }

    @Test
    void plainTarWithoutUstarMagicIsDetectedByItsChecksum() throws IOException {
        byte[] v7 = new RawTar().file("old", "from the seventies\n").build();
        Arrays.fill(v7, 257, 265, (byte) 0); // magic and version, as V7 tar wrote them
        writeChecksum(v7);
        assertThat(Decompressors.detect(Arrays.copyOf(v7, 512))).isEqualTo(Decompressors.Format.TAR);
        Path root = Files.createDirectory(work.resolve("v7"));
        try (InputStream in = Decompressors.open(new ByteArrayInputStream(v7), "v7.tar")) {
            new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, root);
        }
        assertThat(root.resolve("old")).hasContent("from the seventies");
    }

    @Test
    void anEmptyArchiveIsATarOfNothing() throws IOException {
        Path root = Files.createDirectory(work.resolve("empty"));
        try (InputStream in = Decompressors.open(new ByteArrayInputStream(new byte[10240]), "empty.tar")) {
            assertThat(new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, root).entries()).isZero();
        }
    }

    @Test
    void anythingElseIsNotATarArchive() {
        for (byte[] notTar : List.of("PK\3\4 a zip file".getBytes(StandardCharsets.ISO_8859_1), new byte[0],
                "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8), randomBytes(4096),
                Arrays.copyOf(tar, 300))) {
            assertThatThrownBy(() -> Decompressors.open(new ByteArrayInputStream(notTar), "thing.tar"))
                    .isInstanceOfSatisfying(SpewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BUILD);
                        assertThat(e.getMessage()).startsWith("thing.tar is not a tar archive (");
                    });
        }
    }

    @Test
    void theReadAheadThreadStopsWhenTheReaderClosesEarly() throws IOException {
        byte[] big = HostileArchivesTest.compress(new byte[64 << 20], "gz");
        InputStream in = Decompressors.open(new ByteArrayInputStream(big), "big.tar.gz");
        assertThat(in.read(new byte[1000])).isPositive();
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(
                thread -> thread.getName().equals("spew-read-ahead big.tar.gz"));
        in.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                thread -> thread.getName().equals("spew-read-ahead big.tar.gz") && thread.isAlive());
    }

    private void assertExtracts(byte[] archive, String name) throws IOException {
        Path root = Files.createDirectory(work.resolve("root-" + System.nanoTime()));
        ExtractionReport report;
        try (InputStream in = Decompressors.open(new ByteArrayInputStream(archive), name)) {
            report = new SafeExtractor(ExtractionLimits.DEFAULT).extract(in, root);
        }
        assertThat(report.files()).isEqualTo(2);
        assertThat(root.resolve("etc/hostname")).hasContent("box");
        assertThat(Files.readAllBytes(root.resolve("big"))).isEqualTo(content);
    }

    private static void writeChecksum(byte[] header) {
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += header[i] & 0xff;
        }
        byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(octal, 0, header, 148, 8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
