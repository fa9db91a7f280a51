package io.spew.cli;

import io.spew.SpewException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The entry point of the {@code spew} command. Errors end as one line on stderr,
 * {@code spew: <message> (<ERROR_CODE>)}, and the error code's exit code; usage errors exit 1.
 * {@code SPEW_DEBUG=1} adds the stack trace.
 */
public final class Main {
    /** Exit code of a command line picocli could not parse. */
    static final int USAGE = 1;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and returns its exit code. */
    public static int run(String... args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        CommandLine commandLine = new CommandLine(new SpewCommand());
        commandLine.setExecutionExceptionHandler(Main::failed);
        commandLine.setParameterExceptionHandler(Main::badUsage);
        return commandLine.execute(args);
    }

    private static int failed(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof SpewException) {
            SpewException exception = (SpewException) failure;
            err.println("spew: " + oneLine(exception.userMessage()));
            debug(err, failure);
            return exception.code().exitCode();
        }
        err.println("spew: internal error: " + oneLine(failure.toString())
                + " (INTERNAL): run again with SPEW_DEBUG=1 to see where");
        debug(err, failure);
        return io.spew.ErrorCode.INTERNAL.exitCode();
    }

    private static int badUsage(ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        String name = commandLine.getCommandSpec().qualifiedName();
        commandLine.getErr().println("spew: " + oneLine(failure.getMessage()) + "; see '" + name + " --help'");
        debug(commandLine.getErr(), failure);
        return USAGE;
    }

    /** Error messages are one line: line breaks inside them (from Jackson, say) become spaces. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void debug(PrintWriter err, Exception failure) {
        if ("1".equals(System.getenv("SPEW_DEBUG"))) {
            failure.printStackTrace(err);
        }
        err.flush();
    }
}
