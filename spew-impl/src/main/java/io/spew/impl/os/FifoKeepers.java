package io.spew.impl.os;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds FIFOs open in helper processes, so that what an instance writes just before it ends outlives
 * it until the {@link FifoPump} has read it: a FIFO's buffer is dropped when the last descriptor on
 * it closes, and the pump holds only a few pipes open. A helper is a {@code perl} (Debian's
 * essential {@code perl-base}) that opens and closes descriptors on request, reading its requests
 * buffered (a shell reads a pipe a byte at a time: four times the CPU per start); it holds as many
 * as the open file limit lets it, and more helpers start as needed, so the daemon spends two
 * descriptors per helper, not one per pipe. A helper ends with the engine (its input closes).
 * Without {@code perl} nothing is held, with a warning.
 * Thread-safe.
 */
public final class FifoKeepers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FifoKeepers.class.getName());
    /** Requests {@code o<id> <path>} (hold) and {@code c<id>} (let go); answers the ids it cannot open. */
    private static final String SCRIPT = """
            $| = 1;
            my %held;
            while (my $line = <STDIN>) {
                chomp $line;
                if ($line =~ /^o(\\d+) (.*)$/s) {
                    if (open(my $fifo, '+<', $2)) { $held{$1} = $fifo } else { print "$1\\n" }
                } elsif ($line =~ /^c(\\d+)$/) {
                    delete $held{$1};
                }
            }
            """;

    private final int perHelper;
    private final List<Helper> helpers = new ArrayList<>(); // guarded by this
    private final Map<Path, Held> held = new HashMap<>(); // guarded by this
    private long nextId = 1; // guarded by this
    private boolean warned; // guarded by this

    /** @param perHelper how many pipes one helper may hold: somewhat below the open file limit */
    public FifoKeepers(int perHelper) {
        if (perHelper < 1) {
            throw new IllegalArgumentException("perHelper is below 1: " + perHelper);
        }
        this.perHelper = perHelper;
    }

    /**
     * Holds each FIFO open until {@link #release}. A helper is told and not waited for, so that
     * instances start without a round trip to it; one it cannot hold is dropped later, with a warning.
     */
    public synchronized void hold(List<Path> fifos) {
        helpers.forEach(this::dropRefused);
        List<Path> wanted = fifos.stream().filter(fifo -> !held.containsKey(fifo)).distinct().toList();
        if (wanted.isEmpty()) {
            return;
        }
        Helper helper = helpers.stream().filter(h -> h.alive && h.holding + wanted.size() <= perHelper).findFirst()
                .orElse(null);
        try {
            if (helper == null) {
                helper = new Helper();
                helpers.add(helper);
            }
            StringBuilder requests = new StringBuilder();
            for (Path fifo : wanted) {
                long id = nextId++;
                requests.append('o').append(id).append(' ').append(fifo).append('\n');
                helper.holding++;
                held.put(fifo, new Held(helper, id));
            }
            helper.tell(requests.toString());
        } catch (IOException e) {
            if (helper != null) {
                helper.end();
            }
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "no helper holds the output pipes open (" + e.getMessage() + "): output an"
                        + " instance writes as it ends may be lost; install perl");
            }
        }
    }

    /** Forgets the pipes a helper said it could not open. */
    private void dropRefused(Helper helper) {
        for (long id : helper.refused()) {
            held.entrySet().removeIf(entry -> {
                if (entry.getValue().helper() == helper && entry.getValue().id() == id) {
                    helper.holding--;
                    LOG.log(Level.WARNING, "cannot hold the pipe " + entry.getKey() + " open: output its instance"
                            + " writes as it ends may be lost");
                    return true;
                }
                return false;
            });
        }
    }

    /** Lets {@code fifo} go: call it once the pump has read what it holds. */
    public synchronized void release(Path fifo) {
        Held each = held.remove(fifo);
        if (each == null) {
            return;
        }
        each.helper.holding--;
        try {
            each.helper.tell("c" + each.id + "\n");
        } catch (IOException e) {
            each.helper.end();
        }
    }

    /** Ends every helper: the pipes stay with their instances. */
    @Override
    public synchronized void close() {
        helpers.forEach(Helper::end);
        helpers.clear();
        held.clear();
    }

    private record Held(Helper helper, long id) {}

    private static final class Helper {
        private final Process process;
        private final Writer requests;
        private final BufferedReader answers;
        private int holding;
        private boolean alive = true;

        Helper() throws IOException {
            process = new ProcessBuilder("perl", "-e", SCRIPT).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            requests = new OutputStreamWriter(process.getOutputStream(), UTF_8);
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        }

        /** The ids of the pipes the helper has said it could not open since last asked; does not wait. */
        List<Long> refused() {
            List<Long> ids = new ArrayList<>();
            try {
                while (alive && answers.ready()) {
                    String line = answers.readLine();
                    if (line == null) {
                        break;
                    }
                    ids.add(Long.parseLong(line.trim()));
                }
            } catch (IOException | NumberFormatException e) {
                end();
            }
            return ids;
        }

        void tell(String request) throws IOException {
            if (!alive) {
                throw new IOException("the helper ended");
            }
            requests.write(request);
            requests.flush();
        }

        void end() {
            alive = false;
            try {
                requests.close();
            } catch (IOException e) {
                // it ends anyway
            }
            process.destroy();
        }
    }
}
