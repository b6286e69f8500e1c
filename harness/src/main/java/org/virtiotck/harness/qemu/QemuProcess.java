package org.virtiotck.harness.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.virtiotck.driver.DeviceLostException;

/**
 * One {@code qemu-system-aarch64} the harness started, its output in a log file. Watched by the mailbox (an
 * exit is a lost device, with exit status and output), and killed by PID on {@link #close()}.
 */
final class QemuProcess implements AutoCloseable {
    static final String BINARY = "qemu-system-aarch64";
    private static final int LOG_TAIL = 600;

    /** QEMUs still running: killed if the JVM exits with sessions open (a test run interrupted with Ctrl-C). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "qemu-reaper"));
    }

    private final Process process;
    private final Path log;

    private QemuProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        RUNNING.add(process);
    }

    /** The binary on PATH, if installed. */
    static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, BINARY);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static QemuProcess start(List<String> command, Path log) {
        try {
            return new QemuProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The device is gone because QEMU exited: how and what it said. */
    DeviceLostException lost(String when) {
        String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        return new DeviceLostException("QEMU (pid " + process.pid() + ") exited " + when + ", " + status
                + (output().isEmpty() ? "" : ": " + output()));
    }

    /** The end of what QEMU printed, on one line. */
    String output() {
        try {
            String s = Files.exists(log) ? Files.readString(log).strip().replace('\n', ' ') : "";
            return s.length() > LOG_TAIL ? "..." + s.substring(s.length() - LOG_TAIL) : s;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills QEMU (SIGKILL to its PID) and waits, bounded, until it is gone. */
    @Override
    public void close() {
        process.destroyForcibly();
        RUNNING.remove(process);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("QEMU (pid " + process.pid() + ") still running 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
