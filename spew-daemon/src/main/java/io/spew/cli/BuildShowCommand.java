package io.spew.cli;

import io.spew.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew build show BUILD}. */
@Command(name = "show",
        description = "Shows a build: id, signer and signature time, sizes, entry point, metadata.",
        footerHeading = "%nExamples:%n",
        footer = {"  spew build show web", "  spew build show web@1.4", "  spew build show sha256:3f2a9c41be07 --json"})
final class BuildShowCommand extends ClientCommand {
    @Parameters(paramLabel = "BUILD", description = "sha256:…, name (the newest) or name@version.")
    String ref;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        Build build = client().build(ref);
        if (json) {
            printJson(build);
            return 0;
        }
        Table table = new Table("", "");
        table.add("name", build.name());
        table.add("version", build.version());
        table.add("id", build.id().toString());
        if (build.unsigned()) {
            table.add("signer", "UNSIGNED: imported with --allow-unsigned");
        } else {
            table.add("signer", build.signer().fingerprint() + " " + build.signer().userId());
            table.add("signing key", build.signer().signingKeyFingerprint());
            table.add("signed at", build.signer().signedAt().toString());
        }
        table.add("imported at", build.importedAt().toString());
        table.add("entry point", build.entryPoint());
        table.add("archive", ProgressBar.bytes(build.archiveBytes()));
        table.add("unpacked", ProgressBar.bytes(build.unpackedBytes()) + " in " + build.entries() + " entries"
                + (build.skippedDevices() > 0 ? " (" + build.skippedDevices() + " device nodes under dev/ skipped)" : ""));
        build.metadata().forEach((key, value) -> table.add("metadata " + key, value));
        table.printWithoutHeader(out(), "");
        return 0;
    }
}
