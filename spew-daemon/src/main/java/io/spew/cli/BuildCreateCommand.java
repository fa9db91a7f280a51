package io.spew.cli;

import io.spew.build.CreatedBuild;
import io.spew.daemon.api.CreateBuildRequest;
import io.spew.daemon.api.ImportBuildRequest;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew build create DIR}: a reproducible, signed archive of a root filesystem. */
@Command(name = "create",
        description = {"Packs a directory into a reproducible build archive (sorted entries, numeric owners,"
            + " mtimes 0 unless --keep-mtimes) and signs it: FILE and FILE.asc.",
            "Signs with the local key, made and trusted on first use, unless --key names another."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew build create ./rootfs --name web --version 1.4                 web-1.4.tar.zst",
            "  spew build create ./rootfs --name web --version 1.4 -o web.tar.gz",
            "  spew build create ./rootfs --name web --version 1.4 --import        and import it",
        })
final class BuildCreateCommand extends ClientCommand {
    @Parameters(paramLabel = "DIR", description = "The root filesystem to pack.")
    Path directory;

    @Option(names = "--name", required = true, description = "The build's name.")
    String name;

    @Option(names = "--version", required = true, description = "The build's version.")
    String version;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "The archive (default NAME-VERSION.tar.zst); .tar, .tar.gz, .tar.zst, .tar.xz or .tar.bz2.")
    Path output;

    @Option(names = "--key", paramLabel = "FILE", description = "An unprotected OpenPGP secret key to sign with.")
    Path key;

    @Option(names = "--keep-mtimes", description = "Keep the files' modification times.")
    boolean keepMtimes;

    @Option(names = "--import", description = "Import the build once made.")
    boolean importAfter;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Path archive = (output != null ? output : Path.of(name + "-" + version + ".tar.zst")).toAbsolutePath();
        CreatedBuild created = client().createBuild(new CreateBuildRequest(directory.toAbsolutePath().toString(), name,
                version, archive.toString(), key == null ? null : key.toAbsolutePath().toString(), keepMtimes));
        if (json) {
            printJson(created);
        } else {
            out().println(created.archive());
            out().println(created.signature());
            out().println(created.id() + " signed by " + created.signerFingerprint());
        }
        if (importAfter) {
            out().println(client().importBuild(new ImportBuildRequest(created.archive().toString(),
                    created.signature().toString(), false, name, version, null, null, null, null), (read, total) -> {}).id());
        }
        return 0;
    }
}
