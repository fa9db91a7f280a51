package io.spew.cli;

import io.spew.build.Build;
import io.spew.daemon.api.ImportBuildRequest;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew build import FILE}: verifies and unpacks a build; prints its id. */
@Command(name = "import",
        description = {"Verifies a build archive against its detached signature and unpacks it into the store;"
            + " prints the build id.",
            "Accepts .tar, .tar.gz, .tar.xz, .tar.zst and .tar.bz2, detected by content. The signature is"
            + " FILE.asc or FILE.sig beside it unless --signature says; its signer must be trusted"
            + " ('spew trust add')."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew build import web-1.4.tar.zst",
            "  spew build import rootfs.tar.gz --signature rootfs.sig --name web --version 1.4",
            "  spew build import scratch.tar --allow-unsigned --name scratch --version 0",
        })
final class BuildImportCommand extends ClientCommand {
    @Parameters(paramLabel = "FILE", description = "The archive.")
    Path archive;

    @Option(names = "--signature", paramLabel = "SIG", description = "The detached signature (default: FILE.asc or FILE.sig).")
    Path signature;

    @Option(names = "--allow-unsigned", description = "Import an archive without a signature (logged, and shown on the build forever).")
    boolean allowUnsigned;

    @Option(names = "--name", description = "The build's name (default: from SPEWMETA or .spew/build.json).")
    String name;

    @Option(names = "--version", description = "The build's version (default: from its metadata).")
    String version;

    @Option(names = "--max-bytes", paramLabel = "N", description = "Refuse archives whose files hold more bytes (default 64 GiB).")
    Long maxBytes;

    @Option(names = "--max-entries", paramLabel = "N", description = "Refuse archives with more entries (default 2,000,000).")
    Long maxEntries;

    @Option(names = "--max-name-length", paramLabel = "N", description = "Refuse longer names (default 4096).")
    Integer maxNameLength;

    @Option(names = "--max-header-bytes", paramLabel = "N", description = "Refuse larger headers (default 1 MiB).")
    Integer maxHeaderBytes;

    @Option(names = "--json", description = "Print the build as JSON, without progress.")
    boolean json;

    @Override
    public Integer call() {
        ImportBuildRequest request = new ImportBuildRequest(archive.toAbsolutePath().toString(),
                signature == null ? null : signature.toAbsolutePath().toString(), allowUnsigned, name, version,
                maxBytes, maxEntries, maxNameLength, maxHeaderBytes);
        ProgressBar bar = new ProgressBar(err(), "importing " + archive.getFileName(), !json && System.console() != null);
        Build build;
        try {
            build = client().importBuild(request, bar::update);
        } finally {
            bar.finish();
        }
        if (json) {
            printJson(build);
        } else {
            out().println(build.id());
            if (build.unsigned()) {
                err().println("spew: warning: " + build.reference() + " was imported WITHOUT a signature (--allow-unsigned)");
            }
        }
        return 0;
    }
}
