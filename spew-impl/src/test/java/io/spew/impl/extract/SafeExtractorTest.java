package io.spew.impl.extract;

import static io.spew.impl.extract.Canary.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a well-formed archive extracts to, entry type by entry type. */
class SafeExtractorTest {
    @TempDir
    Path work;

    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(work.resolve("root"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Test
    void absoluteNamesLandInsideTheRootAndDotComponentsAreDropped() throws IOException {
        ExtractionReport report = extract(new RawTar().file("/etc/hostname", "box\n").file("./usr/./lib//os", "x")
                .directory("/").build());
        assertThat(root.resolve("etc/hostname")).hasContent("box");
        assertThat(root.resolve("usr/lib/os")).hasContent("x");
        assertThat(report.entries()).isEqualTo(3);
        assertThat(report.files()).isEqualTo(2);
        assertThat(report.directories()).isEqualTo(3); // etc, usr, usr/lib: made as parents
    }

    @Test
    void missingParentsAreMadeAsDirectoriesOfRoot() throws IOException {
        extract(new RawTar().file("a/b/c/file", "x").build());
        assertThat(mode(root.resolve("a/b"))).isEqualTo("rwxr-xr-x");
    }

    @Test
    void aLaterFileReplacesAnEarlierOneAndHardLinksKeepTheOld() throws IOException {
        extract(new RawTar().file("f", "first").hardLink("g", "f").file("f", "second").build());
        assertThat(root.resolve("f")).hasContent("second");
        assertThat(root.resolve("g")).hasContent("first");
    }

    @Test
    void aLaterSymlinkReplacesAnEarlierOne() throws IOException {
        extract(new RawTar().symlink("s", "one").symlink("s", "/two").build());
        assertThat(Files.readSymbolicLink(root.resolve("s"))).hasToString("/two");
    }

    @Test
    void hardLinksShareTheInodeOfAnEarlierFile() throws IOException {
        ExtractionReport report = extract(new RawTar().file("usr/bin/gzip", "gzip").hardLink("usr/bin/gunzip",
                "usr/bin/gzip").hardLink("/bin/zcat", "/usr/bin/gzip").hardLink("usr/bin/gzip", "usr/bin/gzip")
                .build());
        Object inode = Files.getAttribute(root.resolve("usr/bin/gzip"), "unix:ino");
        assertThat(Files.getAttribute(root.resolve("usr/bin/gunzip"), "unix:ino")).isEqualTo(inode);
        assertThat(Files.getAttribute(root.resolve("bin/zcat"), "unix:ino")).isEqualTo(inode);
        assertThat(report.hardLinks()).isEqualTo(3);
    }

    @Test
    void aDirectoryListedAfterItsFilesGetsItsAttributesAtTheEnd() throws IOException {
        TarArchiveEntry directory = new TarArchiveEntry("locked/", TarConstants.LF_DIR, true);
        directory.setMode(0555);
        directory.setModTime(FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        extract(new RawTar().file("locked/inside/file", "x").entry(directory, new byte[0]).build());
        assertThat(mode(root.resolve("locked"))).isEqualTo("r-xr-xr-x");
        assertThat(Files.getLastModifiedTime(root.resolve("locked"))).isEqualTo(
                FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
    }

    @Test
    void theRootEntrySetsTheRootsOwnAttributesLast() throws IOException {
        extract(new RawTar().directory("./").file("file", "x").build());
        assertThat(mode(root)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void modesAreExactWithSetUserIdSetGroupIdAndSticky() throws IOException {
        TarArchiveEntry sticky = new TarArchiveEntry("tmp/", TarConstants.LF_DIR, true);
        sticky.setMode(01777);
        extract(new RawTar().file("su", utf8("su"), 04755).file("both", utf8("x"), 06711)
                .file("none", utf8("x"), 0).file("writable", utf8("x"), 0666).entry(sticky, new byte[0]).build());
        assertThat(rawMode(root.resolve("su"))).isEqualTo(04755);
        assertThat(rawMode(root.resolve("both"))).isEqualTo(06711);
        assertThat(rawMode(root.resolve("none"))).isZero();
        assertThat(rawMode(root.resolve("writable"))).isEqualTo(0666);
        assertThat(rawMode(root.resolve("tmp"))).isEqualTo(01777);
    }

    @Test
    void fifosAreMadeAndNeverOpened() throws IOException {
        TarArchiveEntry fifo = new TarArchiveEntry("run/initctl", TarConstants.LF_FIFO, true);
        fifo.setMode(0600);
        ExtractionReport report = extract(new RawTar().entry(fifo, new byte[0]).build());
        assertThat(Files.getAttribute(root.resolve("run/initctl"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Syscalls.S_IFIFO | 0600);
        assertThat(report.fifos()).isEqualTo(1);
    }

    @Test
    void devicesUnderDevAreSkippedAndCounted() throws IOException {
        ExtractionReport report = extract(new RawTar().directory("dev/").device("dev/null", TarConstants.LF_CHR, 1, 3)
                .device("dev/sda", TarConstants.LF_BLK, 8, 0).device("dev/whiteout", TarConstants.LF_CHR, 0, 0)
                .build());
        assertThat(root.resolve("dev")).isEmptyDirectory();
        assertThat(report.skippedDevices()).isEqualTo(3);
    }

    @Test
    void socketsAreSkippedAndCounted() throws IOException {
        ExtractionReport report = extract(new RawTar().pax(Map.of("SCHILY.filetype", utf8("socket")))
                .typed("run/socket", (byte) 's', new byte[0]).build());
        assertThat(root.resolve("run/socket")).doesNotExist();
        assertThat(report.skippedSockets()).isEqualTo(1);
    }

    @Test
    void userXattrsAreKeptTrustedAndSelinuxDropped() throws IOException {
        extract(new RawTar().pax(Map.of("SCHILY.xattr.user.note", new byte[] {'h', 'i', (byte) 0xff},
                "SCHILY.xattr.trusted.overlay.opaque", utf8("y"), "SCHILY.xattr.security.selinux",
                utf8("system_u:object_r:etc_t:s0"))).file("file", "x").build());
        assertThat(TreeSnapshot.xattrs(root.resolve("file"))).containsOnlyKeys("user.note")
                .containsEntry("user.note", "6869ff");
    }

    @Test
    void longNamesOfPaxAndGnu() throws IOException {
        String longName = "d".repeat(150) + "/" + "f".repeat(200);
        extract(new RawTar().pax(Map.of("path", utf8(longName))).file("short", "pax")
                .gnuLongName(utf8(longName + "2")).file("short", "gnu").build());
        assertThat(root.resolve(longName)).hasContent("pax");
        assertThat(root.resolve(longName + "2")).hasContent("gnu");
    }

    @Test
    void oldStyleDirectoriesVolumeLabelsAndContiguousFiles() throws IOException {
        ExtractionReport report = extract(new RawTar().typed("label", (byte) 'V', new byte[0])
                .typed("olddir/", TarConstants.LF_NORMAL, new byte[0])
                .typed("contiguous", TarConstants.LF_CONTIG, utf8("data")).build());
        assertThat(root.resolve("olddir")).isDirectory();
        assertThat(root.resolve("contiguous")).hasContent("data");
        assertThat(root.resolve("label")).doesNotExist();
        assertThat(report.entries()).isEqualTo(3);
    }

    @Test
    void modificationTimesAreKeptToTheNanosecond() throws IOException {
        extract(new RawTar().pax(Map.of("mtime", utf8("1234567890.123456789"))).file("file", "x")
                .pax(Map.of("mtime", utf8("1234567890.5"))).symlink("link", "file").build());
        assertThat(Files.getLastModifiedTime(root.resolve("file"))).isEqualTo(
                FileTime.from(Instant.ofEpochSecond(1234567890, 123456789)));
        assertThat(Files.getLastModifiedTime(root.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(
                FileTime.from(Instant.ofEpochSecond(1234567890, 500_000_000)));
    }

    @Test
    void largeFilesAreCopiedWhole() throws IOException {
        byte[] content = new byte[5 << 20];
        new java.util.Random(1).nextBytes(content);
        ExtractionReport report = extract(new RawTar().file("big", content, 0644).file("after", "x").build());
        assertThat(Files.readAllBytes(root.resolve("big"))).isEqualTo(content);
        assertThat(report.bytes()).isEqualTo(content.length + 1);
    }

    private ExtractionReport extract(byte[] tar) throws IOException {
        return new SafeExtractor(ExtractionLimits.DEFAULT).extract(new ByteArrayInputStream(tar), root);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static int rawMode(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
