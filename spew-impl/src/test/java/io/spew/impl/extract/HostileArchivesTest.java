package io.spew.impl.extract;

import static io.spew.impl.extract.Canary.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.luben.zstd.ZstdOutputStream;
import io.spew.ErrorCode;
import io.spew.SpewException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Archives crafted to escape the root or exhaust the host. Each must be refused with INVALID_BUILD
 * naming the entry (or the archive), quickly, and leave the canary directory next to the root
 * exactly as it was.
 */
class HostileArchivesTest {
    private static final Duration QUICKLY = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private Path root;
    private Canary canary;
    private String outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(work.resolve("root"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        canary = Canary.create(work.resolve("canary"));
        outside = canary.directory().toAbsolutePath().toString();
    }

    @Test
    void leadingTraversal() throws IOException {
        assertRefused(new RawTar().file("../canary/pwned", "x").build(), "'../canary/pwned'", "'..'");
    }

    @Test
    void traversalInTheMiddle() throws IOException {
        assertRefused(new RawTar().directory("a/").file("a/../../canary/secret", "x").build(),
                "'a/../../canary/secret'", "'..'");
    }

    @Test
    void traversalInAnAbsoluteName() throws IOException {
        assertRefused(new RawTar().file(outside + "/../canary/secret", "x").build(), "/../canary/secret'");
    }

    @Test
    void paxPathOverridingAHarmlessName() throws IOException {
        byte[] tar = new RawTar().pax(Map.of("path", utf8("../canary/secret")))
                .file("harmless.txt", "overwritten").build();
        assertRefused(tar, "'../canary/secret'");
    }

    @Test
    void gnuLongNameOverridingAHarmlessName() throws IOException {
        byte[] tar = new RawTar().gnuLongName(utf8("x/../../canary/secret")).file("harmless.txt", "x").build();
        assertRefused(tar, "'x/../../canary/secret'");
    }

    @Test
    void symlinkToAnAbsoluteOutsideDirectoryThenAFileThroughIt() throws IOException {
        byte[] tar = new RawTar().symlink("escape", outside).file("escape/secret", "overwritten").build();
        assertRefused(tar, "'escape/secret'", "symlink 'escape'");
    }

    @Test
    void symlinkUpAndOutThenAFileThroughIt() throws IOException {
        byte[] tar = new RawTar().directory("a/").directory("a/b/").symlink("a/b/up", "../../..")
                .file("a/b/up/canary/secret", "overwritten").build();
        assertRefused(tar, "'a/b/up/canary/secret'", "symlink 'a/b/up'");
    }

    @Test
    void symlinkUpAndOutThenADirectoryThroughIt() throws IOException {
        byte[] tar = new RawTar().symlink("up", "../canary").directory("up/new/").build();
        assertRefused(tar, "'up/new/'", "symlink 'up'");
    }

    @Test
    void chainedSymlinks() throws IOException {
        byte[] tar = new RawTar().symlink("one", "two").symlink("two", "three").symlink("three", outside)
                .file("one/secret", "overwritten").build();
        assertRefused(tar, "'one/secret'", "symlink 'one'");
    }

    @Test
    void chainedSymlinksThroughADirectoryPart() throws IOException {
        byte[] tar = new RawTar().directory("d/").symlink("d/link", "../hop").symlink("hop", outside)
                .file("d/link/secret", "overwritten").build();
        assertRefused(tar, "'d/link/secret'", "symlink 'd/link'");
    }

    @Test
    void directoryReplacedBySymlinkThenWrittenThrough() throws IOException {
        byte[] tar = new RawTar().directory("d/").file("d/ok", "fine").symlink("d", outside)
                .file("d/secret", "overwritten").build();
        assertRefused(tar, "'d'", "already exists as a directory");
    }

    @Test
    void fileOverASymlinkToAnOutsideFile() throws IOException {
        byte[] tar = new RawTar().symlink("s", outside + "/secret").file("s", "overwritten").build();
        assertRefused(tar, "'s'", "already exists as a symbolic link");
    }

    @Test
    void hardLinkToAnOutsideFileRelative() throws IOException {
        assertRefused(new RawTar().hardLink("h", "../canary/secret").build(), "'h'", "'..'");
    }

    @Test
    void hardLinkToAnOutsideFileAbsolute() throws IOException {
        assertRefused(new RawTar().hardLink("h", outside + "/secret").build(), "'h'",
                "not a regular file extracted earlier");
    }

    @Test
    void hardLinkThroughASymlink() throws IOException {
        byte[] tar = new RawTar().symlink("s", outside).hardLink("h", "s/secret").file("h", "overwritten").build();
        assertRefused(tar, "'h'", "not a regular file extracted earlier");
    }

    @Test
    void hardLinkToASymlink() throws IOException {
        byte[] tar = new RawTar().symlink("s", outside + "/secret").hardLink("h", "s").build();
        assertRefused(tar, "'h'", "not a regular file extracted earlier");
    }

    @Test
    void hardLinkToADirectory() throws IOException {
        assertRefused(new RawTar().directory("d/").hardLink("h", "d").build(), "'h'",
                "not a regular file extracted earlier");
    }

    @Test
    void hardLinkToAFileNotYetExtracted() throws IOException {
        assertRefused(new RawTar().hardLink("h", "later").file("later", "x").build(), "'h'",
                "not a regular file extracted earlier");
    }

    @Test
    void deviceNodeOutsideDev() throws IOException {
        assertRefused(new RawTar().device("etc/kmem", TarConstants.LF_CHR, 1, 2).build(), "'etc/kmem'",
                "device node");
        assertRefused(new RawTar().device("disk", TarConstants.LF_BLK, 8, 0).build(), "'disk'", "device node");
    }

    @Test
    void deviceNodeNamedDevItself() throws IOException {
        assertRefused(new RawTar().device("dev", TarConstants.LF_CHR, 1, 3).build(), "'dev'", "device node");
    }

    @Test
    void overlayWhiteout() throws IOException {
        assertRefused(new RawTar().directory("etc/").device("etc/passwd", TarConstants.LF_CHR, 0, 0).build(),
                "'etc/passwd'", "whiteout");
    }

    @Test
    void truncatedInsideAFile() throws IOException {
        byte[] whole = new RawTar().file("first", "x").file("big", new byte[10_000], 0644).build();
        assertRefused(Arrays.copyOf(whole, 512 * 2 + 512 + 5000), "'big'", "truncated");
    }

    @Test
    void truncatedInsideAHeader() throws IOException {
        byte[] whole = new RawTar().file("first", "x").file("second", "y").build();
        assertRefused(Arrays.copyOf(whole, 512 * 2 + 300), "after 'first'", "end of archive");
    }

    @Test
    void truncatedWithoutEndOfArchive() throws IOException {
        assertRefused(new RawTar().file("only", "x").unterminated(), "after 'only'", "end of archive");
    }

    @Test
    void unknownTypeFlag() throws IOException {
        assertRefused(new RawTar().typed("strange", (byte) 'Q', utf8("data")).build(), "'strange'",
                "unknown entry type 'Q'");
        assertRefused(new RawTar().typed("multivolume", (byte) 'M', utf8("data")).build(), "'multivolume'",
                "unknown entry type 'M'");
    }

    @Test
    void damagedHeaderChecksum() throws IOException {
        byte[] tar = new RawTar().file("file", "x").build();
        tar[0] = 'F';
        assertRefused(tar, "'File'", "checksum");
    }

    @Test
    void compressedGarbage() throws IOException {
        byte[] garbage = new byte[100_000];
        new Random(42).nextBytes(garbage);
        assertGarbageRefused(prefixed(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, garbage), "gz");
        assertGarbageRefused(prefixed(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, garbage), "zst");
        assertGarbageRefused(prefixed(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, garbage), "xz");
        assertGarbageRefused(prefixed(utf8("BZh9"), garbage), "bz2");
        assertGarbageRefused(garbage, "tar");
    }

    @Test
    void wellCompressedGarbage() throws IOException {
        byte[] garbage = new byte[100_000];
        new Random(7).nextBytes(garbage);
        for (String format : new String[] {"gz", "zst", "xz", "bz2"}) {
            assertRefusedCompressed(compress(garbage, format), "garbage.tar." + format, "not a tar archive");
        }
    }

    @Test
    void truncatedCompressedStream() throws IOException {
        byte[] content = new byte[400_000];
        new Random(3).nextBytes(content);
        byte[] tar = new RawTar().file("file", content, 0644).build();
        for (String format : new String[] {"gz", "zst", "xz", "bz2"}) {
            byte[] compressed = compress(tar, format);
            byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
            assertRefusedCompressed(cut, "build.tar." + format, "build.tar." + format + " is damaged or truncated");
        }
    }

    @Test
    void decompressionBombOverTheSizeLimit() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        long size = 256L << 20; // 256 MiB of zeros: a quarter of a megabyte compressed
        try (OutputStream gzip = new GZIPOutputStream(compressed, 1 << 16)) {
            TarArchiveEntry entry = new TarArchiveEntry("bomb");
            entry.setSize(size);
            byte[] header = new byte[512];
            entry.writeEntryHeader(header);
            gzip.write(header);
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < size; written += zeros.length) {
                gzip.write(zeros);
            }
            gzip.write(new byte[1024]);
        }
        ExtractionLimits limits = new ExtractionLimits(16L << 20, 1000, 4096, 1 << 20);
        assertRefused(() -> extract(Decompressors.open(new ByteArrayInputStream(compressed.toByteArray()),
                "bomb.tar.gz"), limits), "'bomb'", "limit of 16777216 bytes");
    }

    @Test
    void manySmallFilesOverTheSizeLimit() throws IOException {
        RawTar tar = new RawTar();
        for (int i = 0; i < 40; i++) {
            tar.file("f" + i, new byte[100_000], 0644);
        }
        ExtractionLimits limits = new ExtractionLimits(1_000_000, 1000, 4096, 1 << 20);
        assertRefused(() -> extract(new ByteArrayInputStream(tar.build()), limits), "'f10'", "bytes");
    }

    @Test
    void entryCountBomb() throws IOException {
        RawTar tar = new RawTar();
        for (int i = 0; i < 5000; i++) {
            tar.file("f" + i, "");
        }
        ExtractionLimits limits = new ExtractionLimits(1 << 20, 1000, 4096, 1 << 20);
        assertRefused(() -> extract(new ByteArrayInputStream(tar.build()), limits), "'f1000'",
                "more than the limit of 1000 entries");
    }

    @Test
    void tenMegabyteGnuLongName() throws IOException {
        byte[] name = new byte[10 << 20];
        Arrays.fill(name, (byte) 'a');
        byte[] tar = new RawTar().gnuLongName(name).file("short", "x").build();
        assertRefused(tar, "'aaaaaaaaaa", "headers larger than the limit of 1048576 bytes");
    }

    @Test
    void tenMegabytePaxPath() throws IOException {
        byte[] name = new byte[10 << 20];
        Arrays.fill(name, (byte) 'b');
        byte[] tar = new RawTar().pax(Map.of("path", name)).file("short", "x").build();
        assertRefused(tar, "'bbbbbbbbbb", "headers larger than the limit");
    }

    @Test
    void manyChainedExtendedHeaders() throws IOException {
        RawTar tar = new RawTar();
        for (int i = 0; i < 50_000; i++) {
            tar.gnuLongName(utf8("n" + i));
        }
        assertRefused(tar.file("short", "x").build(), "headers larger than the limit");
    }

    @Test
    void nameOverTheNameLimit() throws IOException {
        String name = "d/".repeat(2500) + "f";
        byte[] tar = new RawTar().pax(Map.of("path", utf8(name))).file("short", "x").build();
        assertRefused(tar, "'d/d/d/", "longer than the limit of 4096 bytes");
    }

    @Test
    void linkTargetOverTheNameLimit() throws IOException {
        byte[] tar = new RawTar().pax(Map.of("linkpath", utf8("t".repeat(5000)))).symlink("s", "short").build();
        assertRefused(tar, "'s'", "link target is longer than the limit");
    }

    @Test
    void emptyName() throws IOException {
        assertRefused(new RawTar().file("", "x").build(), "''", "empty");
    }

    @Test
    void nameComponentOverNameMax() throws IOException {
        String name = "x".repeat(300);
        assertRefused(new RawTar().pax(Map.of("path", utf8(name))).file("short", "x").build(), "'xxxx",
                "longer than 255 bytes");
    }

    private void assertGarbageRefused(byte[] archive, String format) throws IOException {
        assertRefusedCompressed(archive, "garbage.tar." + format, "garbage.tar." + format);
    }

    private void assertRefusedCompressed(byte[] archive, String name, String named) throws IOException {
        assertRefused(() -> extract(Decompressors.open(new ByteArrayInputStream(archive), name),
                ExtractionLimits.DEFAULT), named);
    }

    private void assertRefused(byte[] tar, String... named) throws IOException {
        assertRefused(() -> extract(new ByteArrayInputStream(tar), ExtractionLimits.DEFAULT), named);
    }

    private void assertRefused(Extract extract, String... named) throws IOException {
        Map<String, String> before = canary.snapshot();
        assertTimeoutPreemptively(QUICKLY, () -> assertThatThrownBy(extract::run)
                .isInstanceOfSatisfying(SpewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_BUILD);
                    assertThat(e.getMessage()).contains(named);
                }));
        assertThat(canary.snapshot()).isEqualTo(before);
    }

    private ExtractionReport extract(InputStream tar, ExtractionLimits limits) throws IOException {
        try (tar) {
            return new SafeExtractor(limits).extract(tar, root);
        }
    }

    private static byte[] prefixed(byte[] magic, byte[] rest) {
        byte[] whole = Arrays.copyOf(magic, magic.length + rest.length);
        System.arraycopy(rest, 0, whole, magic.length, rest.length);
        return whole;
    }

    static byte[] compress(byte[] data, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressor = switch (format) {
            case "gz" -> new GZIPOutputStream(out);
            case "zst" -> new ZstdOutputStream(out);
            case "xz" -> new XZOutputStream(out, new LZMA2Options());
            case "bz2" -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(out);
            default -> out;
        }) {
            compressor.write(data);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Extract {
        void run() throws IOException;
    }
}
