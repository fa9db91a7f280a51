package io.spew.cli;

import io.spew.daemon.panel.PanelLogin;
import picocli.CommandLine.Command;

/** {@code spew panel}: prints a one-time login URL of the web panel. */
@Command(name = "panel",
        description = "Prints a one-time login URL of the web panel (good once, for 10 minutes).",
        footerHeading = "%nExamples:%n",
        footer = {"  spew panel"})
final class PanelCommand extends ClientCommand {
    @Override
    public Integer call() {
        PanelLogin login = client().panelLogin();
        out().println(login.url());
        out().flush();
        return 0;
    }
}
