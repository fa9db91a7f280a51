package io.spew.cli;

import io.spew.daemon.Version;
import picocli.CommandLine.IVersionProvider;

/** What {@code spew --version} prints. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"spew " + Version.current()};
    }
}
