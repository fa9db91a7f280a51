package io.spew.cli;

import picocli.CommandLine.Command;

/** {@code spew appliance}: apply, list and show appliances. */
@Command(name = "appliance",
        description = "Applies, lists and shows appliances: templates that say how to run something.",
        subcommands = {ApplianceApplyCommand.class, ApplianceListCommand.class, ApplianceShowCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  spew appliance apply web.yaml db.yaml",
            "  spew appliance ls",
            "  spew appliance show web",
        })
final class ApplianceCommand {}
