package org.virtiotck.harness.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.virtiotck.driver.DeviceLostException;

/**
 * One {@code qemu-system-aarch64} the harness started on this machine, its output in a log file. Watched by the
 * mailbox (an exit is a lost device, with exit status and output), and killed by PID on {@link #close()}.
 */
final class LocalQemu implements QemuProcess {

    /** QEMUs still running: killed if the JVM exits with sessions open (a test run interrupted with Ctrl-C). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "qemu-reaper"));
    }

    private final Process process;
    private final Path log;

    private LocalQemu(Process process, Path log) {
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

    /** Starts the binary on PATH with {@code arguments}, its output going to {@code qemu.log} in {@code dir}. */
    static QemuLauncher launcher() {
        return (arguments, ram, dir) -> {
            String binary = binary().map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException(BINARY + " is not on PATH (Debian package qemu-system-arm)"));
            List<String> command = new ArrayList<>(List.of(binary));
            command.addAll(arguments);
            return start(command, QemuProcess.log(dir));
        };
    }

    private static LocalQemu start(List<String> command, Path log) {
        try {
            return new LocalQemu(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public DeviceLostException lost(String when) {
        String status = process.isAlive() ? "still running" : "exit status " + process.exitValue();
        String output = QemuProcess.output(log);
        return new DeviceLostException("QEMU (pid " + process.pid() + ") exited " + when + ", " + status
                + (output.isEmpty() ? "" : ": " + output));
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
