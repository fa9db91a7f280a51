package io.spew.impl.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real GnuPG for tests, hermetic and bounded: its own home directory (never ~/.gnupg), no
 * passphrases, each run killed after a minute, its agent killed on {@link #close}.
 */
public final class GnuPg implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 60;
    private static final DateTimeFormatter FAKED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Path home;

    public GnuPg(Path home) throws IOException {
        this.home = Files.createDirectories(home);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    }

    Path home() {
        return home;
    }

    /** Makes a key and returns its fingerprint. */
    public String generateKey(String userId, String algorithm, String usage, String expire, Instant fakedTime) {
        List<String> args = new ArrayList<>();
        if (fakedTime != null) {
            args.addAll(List.of("--faked-system-time", FAKED_TIME.format(fakedTime)));
        }
        args.addAll(List.of("--quick-gen-key", userId, algorithm, usage, expire));
        run(null, args.toArray(String[]::new));
        return fingerprints(userId).get(0);
    }

    /** Adds a subkey and returns its fingerprint. */
    String addSubkey(String fingerprint, String algorithm, String usage) {
        List<String> before = fingerprints(fingerprint);
        run(null, "--quick-add-key", fingerprint, algorithm, usage);
        List<String> after = new ArrayList<>(fingerprints(fingerprint));
        after.removeAll(before);
        return after.get(0);
    }

    /** The fingerprints of the primary key and subkeys of one key, primary first. */
    List<String> fingerprints(String key) {
        String listing = new String(run(null, "--with-colons", "--list-keys", key), StandardCharsets.UTF_8);
        return listing.lines().filter(line -> line.startsWith("fpr:")).map(line -> line.split(":")[9]).toList();
    }

    public byte[] exportPublic(String key, boolean armor) {
        return armor ? run(null, "--armor", "--export", key) : run(null, "--export", key);
    }

    byte[] exportSecret(String key, boolean armor) {
        return armor ? run(null, "--armor", "--export-secret-keys", key) : run(null, "--export-secret-keys", key);
    }

    /** Runs gpg on {@code input} with these options, as the key {@code signer} ("FPR!" for exactly that key). */
    public byte[] sign(String signer, byte[] input, Instant fakedTime, String... options) {
        List<String> args = new ArrayList<>();
        if (fakedTime != null) {
            args.addAll(List.of("--faked-system-time", FAKED_TIME.format(fakedTime)));
        }
        args.addAll(List.of("--local-user", signer, "--output", "-"));
        args.addAll(Arrays.asList(options));
        return run(input, args.toArray(String[]::new));
    }

    /** Imports the revocation certificate GnuPG made with the key, which revokes it. */
    void revoke(String fingerprint) throws IOException {
        String certificate = Files.readString(home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev"));
        // GnuPG prefixes the armor line with ':' so that the file is not imported by mistake
        run(certificate.replace(":-----BEGIN PGP", "-----BEGIN PGP").getBytes(StandardCharsets.US_ASCII), "--import");
    }

    /** Revokes the first subkey of a key, through --edit-key driven by commands. */
    void revokeFirstSubkey(String fingerprint) {
        run("key 1\nrevkey\ny\n0\n\ny\nsave\n".getBytes(StandardCharsets.US_ASCII),
                "--yes", "--command-fd", "0", "--edit-key", fingerprint);
    }

    void importKey(byte[] key) {
        run(key, "--import");
    }

    /** Runs gpg and returns its exit code, for commands whose failure is the point (gpg --verify). */
    int exitCode(byte[] input, String... args) {
        return execute(input, args).exitCode();
    }

    /** Runs gpg and returns its output; fails the test if it fails. */
    byte[] run(byte[] input, String... args) {
        Result result = execute(input, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("gpg " + String.join(" ", args) + " failed with exit code " + result.exitCode()
                    + ": " + result.errors());
        }
        return result.output();
    }

    private record Result(int exitCode, byte[] output, String errors) {}

    private Result execute(byte[] input, String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch",
                "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""));
        command.addAll(Arrays.asList(args));
        try {
            Path in = Files.createTempFile(home, "in", "");
            Path out = Files.createTempFile(home, "out", "");
            Path err = Files.createTempFile(home, "err", "");
            Files.write(in, input == null ? new byte[0] : input);
            Process process = new ProcessBuilder(command)
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("gpg " + String.join(" ", args) + " did not end within "
                        + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(in);
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new AssertionError("cannot run gpg", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running gpg", e);
        }
    }

    @Override
    public void close() throws Exception {
        Process process = new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
