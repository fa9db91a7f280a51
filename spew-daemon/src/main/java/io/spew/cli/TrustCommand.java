package io.spew.cli;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.trust.TrustedKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spew trust}: the keys whose signatures make builds importable. */
@Command(name = "trust",
        description = "Adds, lists and removes the OpenPGP keys Spew trusts to sign builds (its own store, never ~/.gnupg).",
        subcommands = {TrustCommand.Add.class, TrustCommand.List_.class, TrustCommand.Remove.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  gpg --export --armor builder@example.com > builder.asc && spew trust add builder.asc",
            "  spew trust ls",
            "  spew trust rm 0123456789ABCDEF0123456789ABCDEF01234567",
        })
final class TrustCommand {
    @Command(name = "add", description = "Trusts a public key (armored or binary).",
            footerHeading = "%nExamples:%n", footer = {"  spew trust add builder.asc"})
    static final class Add extends ClientCommand {
        @Parameters(paramLabel = "KEYFILE", description = "The public key file.")
        Path keyFile;

        @Override
        public Integer call() {
            byte[] key;
            try {
                key = Files.readAllBytes(keyFile);
            } catch (NoSuchFileException e) {
                throw new SpewException(ErrorCode.NOT_FOUND, keyFile + ": no such file");
            } catch (IOException e) {
                throw new SpewException(ErrorCode.IO_ERROR, "cannot read " + keyFile + ": " + e.getMessage());
            }
            TrustedKey trusted = client().trust(key);
            out().println("trusted " + trusted.fingerprint() + " " + trusted.userId());
            return 0;
        }
    }

    @Command(name = "ls", description = "Lists the trusted keys.",
            footerHeading = "%nExamples:%n", footer = {"  spew trust ls", "  spew trust ls --json"})
    static final class List_ extends ClientCommand {
        @Option(names = "--json", description = "Print a JSON array.")
        boolean json;

        @Override
        public Integer call() {
            List<TrustedKey> keys = client().trustedKeys();
            if (json) {
                printJson(keys);
                return 0;
            }
            Table table = new Table("FINGERPRINT", "USER ID", "ALGORITHM", "CREATED", "EXPIRES");
            for (TrustedKey key : keys) {
                table.add(key.fingerprint(), key.userId(), key.algorithm(), key.created().toString(),
                        key.expires() == null ? "never" : key.expires().toString());
            }
            table.print(out(), "");
            return 0;
        }
    }

    @Command(name = "rm", description = "Stops trusting keys.",
            footerHeading = "%nExamples:%n", footer = {"  spew trust rm 0123456789ABCDEF0123456789ABCDEF01234567"})
    static final class Remove extends ClientCommand {
        @Parameters(arity = "1..*", paramLabel = "FINGERPRINT", description = "Full fingerprints.")
        List<String> fingerprints;

        @Override
        public Integer call() {
            return forEach(fingerprints, fingerprint -> {
                client().distrust(fingerprint);
                out().println("removed " + fingerprint);
            });
        }
    }
}
