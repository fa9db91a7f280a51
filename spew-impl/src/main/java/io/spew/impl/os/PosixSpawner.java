package io.spew.impl.os;

import io.spew.ErrorCode;
import io.spew.SpewException;
import io.spew.spi.runtime.SpawnRequest;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * Starts processes with glibc's {@code posix_spawn}, which clones without copying the JVM's memory
 * and leaves no thread behind. The child gets /dev/null as input, appends its output to files,
 * inherits no other descriptor, and starts with an empty signal mask and default dispositions.
 * An output path that is a FIFO is opened for reading and writing: the open never blocks, and the
 * child never gets {@code EPIPE} while nobody reads (its output waits in the pipe, see {@link FifoPump}).
 */
final class PosixSpawner {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int OUTPUT_MODE = 0640;
    private static final int FIRST_UNINHERITED_FD = 3;

    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128:
    // room to spare in case a later glibc grows them.
    private static final int FILE_ACTIONS_SIZE = 512;
    private static final int ATTRIBUTES_SIZE = 512;
    private static final int SIGNAL_SET_SIZE = 128;
    private static final long ALL_SIGNALS = -1L;
    private static final int FILE_ACTIONS = 0;
    private static final int ATTRIBUTES = FILE_ACTIONS + FILE_ACTIONS_SIZE;
    private static final int EMPTY_SET = ATTRIBUTES + ATTRIBUTES_SIZE;
    private static final int FULL_SET = EMPTY_SET + SIGNAL_SET_SIZE;
    private static final int PID = FULL_SET + SIGNAL_SET_SIZE;
    private static final int BLOCK_SIZE = PID + Long.BYTES;

    private final LibC libc = Native.LIBC;

    /** Spawns the process of a request and returns its pid. */
    long spawn(SpawnRequest request) {
        String command = request.command().get(0);
        String program = ProgramLookup.resolve(command, request.env());
        checkDirectories(request, command);
        Pointer block = Memory.allocateDirect(Native.RUNTIME, BLOCK_SIZE, true);
        Pointer argv;
        Pointer envp;
        try {
            argv = NativeStrings.array(request.command());
            envp = NativeStrings.array(environment(request.env()));
        } catch (IllegalArgumentException e) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot start '" + command + "': " + e.getMessage(), e);
        }
        Pointer fileActions = block.slice(FILE_ACTIONS, FILE_ACTIONS_SIZE);
        Pointer attributes = block.slice(ATTRIBUTES, ATTRIBUTES_SIZE);
        check(libc.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
        try {
            check(libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try {
                addFileActions(fileActions, request);
                setAttributes(attributes, block, request.newSession());
                int error = libc.posix_spawn(block.slice(PID), program, fileActions, attributes, argv, envp);
                if (error != 0) {
                    throw new SpewException(ErrorCode.START_FAILED, "cannot start '" + command + "'"
                            + (program.equals(command) ? "" : " (" + program + ")") + ": " + Native.describe(error));
                }
                return block.getInt(PID);
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(fileActions);
            // The memory is freed when these are collected: not before glibc is done with it.
            Reference.reachabilityFence(argv);
            Reference.reachabilityFence(envp);
            Reference.reachabilityFence(block);
        }
    }

    private void addFileActions(Pointer fileActions, SpawnRequest request) {
        check(libc.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin");
        check(libc.posix_spawn_file_actions_addopen(fileActions, 1, request.stdout().toString(),
                outputFlags(request.stdout()), OUTPUT_MODE), "addopen stdout");
        if (request.stderr().equals(request.stdout())) {
            check(libc.posix_spawn_file_actions_adddup2(fileActions, 1, 2), "adddup2 stderr");
        } else {
            check(libc.posix_spawn_file_actions_addopen(fileActions, 2, request.stderr().toString(),
                    outputFlags(request.stderr()), OUTPUT_MODE), "addopen stderr");
        }
        if (request.workdir() != null) {
            check(libc.posix_spawn_file_actions_addchdir_np(fileActions, request.workdir().toString()), "addchdir_np");
        }
        check(libc.posix_spawn_file_actions_addclosefrom_np(fileActions, FIRST_UNINHERITED_FD), "addclosefrom_np");
    }

    private static int outputFlags(Path output) {
        return Fifos.isFifo(output) ? O_RDWR : O_WRONLY | O_CREAT | O_APPEND;
    }

    private void setAttributes(Pointer attributes, Pointer block, boolean newSession) {
        Pointer emptySet = block.slice(EMPTY_SET, SIGNAL_SET_SIZE);
        Pointer fullSet = block.slice(FULL_SET, SIGNAL_SET_SIZE);
        libc.sigemptyset(emptySet);
        // Every signal 1..64 back to its default; the kernel leaves SIGKILL and SIGSTOP alone. glibc's
        // sigfillset leaves out its internal signals 32 and 33, and its posix_spawn then sets them to
        // SIG_IGN in the child, which exec keeps: so set the bits of the first word directly.
        libc.sigfillset(fullSet);
        fullSet.putLong(0, ALL_SIGNALS);
        check(libc.posix_spawnattr_setsigmask(attributes, emptySet), "posix_spawnattr_setsigmask");
        check(libc.posix_spawnattr_setsigdefault(attributes, fullSet), "posix_spawnattr_setsigdefault");
        short flags = (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? POSIX_SPAWN_SETSID : 0));
        check(libc.posix_spawnattr_setflags(attributes, flags), "posix_spawnattr_setflags");
    }

    private static void checkDirectories(SpawnRequest request, String command) {
        Path workdir = request.workdir();
        if (workdir != null && !Files.isDirectory(workdir)) {
            throw new SpewException(ErrorCode.START_FAILED, "cannot start '" + command + "': working directory "
                    + workdir + (Files.exists(workdir) ? " is not a directory" : " does not exist"));
        }
        for (Path output : List.of(request.stdout(), request.stderr())) {
            Path directory = output.toAbsolutePath().getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                throw new SpewException(ErrorCode.START_FAILED, "cannot start '" + command
                        + "': the directory " + directory + " of its output file does not exist");
            }
        }
    }

    private static List<String> environment(Map<String, String> env) {
        List<String> entries = new ArrayList<>(env.size());
        env.forEach((key, value) -> entries.add(key + "=" + value));
        return entries;
    }

    private static void check(int error, String call) {
        if (error != 0) {
            throw new SpewException(ErrorCode.INTERNAL, call + " failed: " + Native.describe(error));
        }
    }
}
