package org.virtiotck.harness.vhostuser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A DPDK testpmd the harness starts itself: a vhost-user net back-end ({@code net_vhost}) on a socket in a
 * directory of the caller's, forwarding in io mode on its one port, so every frame the driver transmits comes
 * back on the driver's receive queue. Killed by PID on {@link #close()}, which also removes the socket, the log
 * and the EAL runtime directory its {@code --file-prefix} made under /var/run/dpdk (or $XDG_RUNTIME_DIR/dpdk when
 * not root).
 *
 * <p>The command line is DESIGN.md §5's with less memory: {@code --no-huge -m 256} starts in about 1.4 s here
 * where {@code -m 1024} takes about 3 s (EAL touches all of it), and 16384 mbufs of 2176 bytes need 36 MiB. The
 * forwarding lcore spins; it is pinned to the last CPU, the main lcore to the first. Its standard input is a pipe
 * held by this JVM: testpmd exits by itself at end of input, so it does not outlive a JVM that dies without
 * closing it.
 */
public final class DpdkTestpmd implements AutoCloseable {
    public static final String BINARY = "dpdk-testpmd";
    /** Debian's package with the binary (22.11 in bookworm). */
    public static final String PACKAGE = "dpdk-dev";
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final Process process;
    private final Path socket;
    private final Path log;
    private final Path runtimeDir;
    private final List<String> command;

    private DpdkTestpmd(Process process, Path socket, Path log, Path runtimeDir, List<String> command) {
        this.process = process;
        this.socket = socket;
        this.log = log;
        this.runtimeDir = runtimeDir;
        this.command = command;
    }

    /** The binary on PATH, if installed. */
    public static Optional<Path> binary() {
        return QemuStorageDaemon.onPath(BINARY);
    }

    /** The command line {@link #start} runs for a socket, a file prefix and extra {@code net_vhost} options. */
    public static List<String> commandLine(Path binary, Path socket, String filePrefix, String vdevOptions) {
        int cpus = Runtime.getRuntime().availableProcessors();
        String lcores = cpus > 1 ? "0@0,1@" + (cpus - 1) : "0@0,1@0";
        return List.of(binary.toString(), "--no-huge", "-m", "256", "--no-pci", "--lcores", lcores,
                "--file-prefix=" + filePrefix, "--log-level=lib.eal:error",
                "--vdev", "net_vhost0,iface=" + socket + (vdevOptions.isEmpty() ? "" : "," + vdevOptions),
                "--", "--forward-mode=io", "--auto-start", "--total-num-mbufs=16384", "--nb-cores=1");
    }

    /** Starts testpmd with a {@code net_vhost} port on {@code dir}/vhost-user-net.sock and waits for the socket. */
    public static DpdkTestpmd start(Path dir, Duration timeout) {
        return start(dir, "", timeout);
    }

    /**
     * As {@link #start(Path, Duration)}, with extra {@code net_vhost} options (for example {@code queues=2} or
     * {@code client=1}) appended to the vdev argument.
     */
    public static DpdkTestpmd start(Path dir, String vdevOptions, Duration timeout) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(BINARY + " is not on PATH (Debian package "
                + PACKAGE + ")"));
        Path socket = dir.resolve("vhost-user-net.sock");
        Path log = dir.resolve("dpdk-testpmd.log");
        String prefix = "virtio-tck-" + ProcessHandle.current().pid() + "-" + SERIAL.incrementAndGet();
        List<String> command = commandLine(binary, socket, prefix, vdevOptions);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        DpdkTestpmd d = new DpdkTestpmd(p, socket, log, runtimeDir(prefix), command);
        long end = System.nanoTime() + timeout.toNanos();
        // The socket file appears at bind, and listen follows at once; testpmd's own messages are of no use here,
        // since its standard output is block-buffered into the log. Connecting once tells that it listens.
        while (!Files.exists(socket) || VhostUserEndpoint.problem(socket).isPresent()) {
            if (!p.isAlive() || System.nanoTime() - end >= 0) {
                String why = p.isAlive() ? "no socket after " + timeout.toMillis() + " ms" : "exited with " + p.exitValue();
                String output = d.output();
                d.close();
                throw new IllegalStateException(BINARY + " " + why + ": " + output);
            }
            sleep(10);
        }
        return d;
    }

    /** Where EAL keeps the runtime files of {@code prefix}: /var/run/dpdk as root, else $XDG_RUNTIME_DIR or /tmp. */
    static Path runtimeDir(String prefix) {
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/run/dpdk", prefix);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return Path.of(xdg != null && !xdg.isEmpty() ? xdg : "/tmp", "dpdk", prefix);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + BINARY, e);
        }
    }

    public Path socket() {
        return socket;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> command() {
        return command;
    }

    /** The EAL runtime directory of this instance's file prefix. */
    public Path runtimeDir() {
        return runtimeDir;
    }

    /** What testpmd printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log).strip() : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills testpmd by PID, waits for it, and removes the socket, the log and the EAL runtime directory. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(BINARY + " (pid " + process.pid() + ") still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Path> files = new ArrayList<>(List.of(socket, log));
        if (Files.isDirectory(runtimeDir)) {
            try (Stream<Path> s = Files.walk(runtimeDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + runtimeDir, e);
            }
        }
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + f, e);
            }
        }
    }
}
