package io.spew.cli;

import picocli.CommandLine.Command;

/** {@code spew build}: import, create, list, show and remove builds. */
@Command(name = "build",
        description = "Imports, creates, lists, shows and removes builds: signed root filesystems.",
        subcommands = {BuildImportCommand.class, BuildCreateCommand.class, BuildListCommand.class,
            BuildShowCommand.class, BuildRemoveCommand.class, BuildPruneCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew build create ./rootfs --name web --version 1.4     web-1.4.tar.zst + .asc, signed",
            "  spew build import web-1.4.tar.zst                       verified against web-1.4.tar.zst.asc",
            "  spew build ls",
            "  spew build show web@1.4",
            "  spew build rm web@1.4",
            "  spew build prune",
        })
final class BuildCommand {}
