package org.virtiotck.harness.vhostuser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A qemu-storage-daemon the harness starts itself: a vhost-user-blk export of a raw image, on a socket in a
 * directory of the caller's, killed by PID on {@link #close()}, which also removes the socket, image and log.
 * The command line is the one DESIGN.md §5 measured.
 */
public final class QemuStorageDaemon implements AutoCloseable {
    public static final String BINARY = "qemu-storage-daemon";

    private final Process process;
    private final Path socket;
    private final Path image;
    private final Path log;

    private QemuStorageDaemon(Process process, Path socket, Path image, Path log) {
        this.process = process;
        this.socket = socket;
        this.image = image;
        this.log = log;
    }

    /** The binary on PATH, if installed. */
    public static Optional<Path> binary() {
        return onPath(BINARY);
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Creates a zeroed raw image of {@code imageBytes} in {@code dir} (with qemu-img), exports it read-write or
     * read-only on {@code dir}/vhost-user-blk.sock, and waits up to {@code timeout} for the socket to appear.
     * The image is opened with io_uring, which cuts the request time about threefold here; where io_uring is not
     * allowed (some container sandboxes) the daemon fails to start and is started again with thread-pool I/O.
     */
    public static QemuStorageDaemon start(Path dir, long imageBytes, boolean writable, Duration timeout) {
        Path binary = binary().orElseThrow(() -> new IllegalStateException(BINARY + " is not on PATH"));
        Path image = dir.resolve("disk.img");
        run(List.of(onPath("qemu-img").map(Path::toString).orElse("qemu-img"), "create", "-q", "-f", "raw",
                image.toString(), Long.toString(imageBytes)), timeout);
        try {
            return launch(binary, dir, image, writable, "io_uring", timeout);
        } catch (IllegalStateException e) {
            return launch(binary, dir, image, writable, "threads", timeout);
        }
    }

    private static QemuStorageDaemon launch(Path binary, Path dir, Path image, boolean writable, String aio, Duration timeout) {
        Path socket = dir.resolve("vhost-user-blk.sock");
        Path log = dir.resolve("qemu-storage-daemon.log");
        Process p;
        try {
            p = new ProcessBuilder(binary.toString(),
                    "--blockdev", "driver=file,node-name=f0,aio=" + aio + ",filename=" + image,
                    "--export", "type=vhost-user-blk,id=e0,node-name=f0,addr.type=unix,addr.path=" + socket
                            + ",writable=" + (writable ? "on" : "off"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        QemuStorageDaemon d = new QemuStorageDaemon(p, socket, image, log);
        long end = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() - end >= 0) {
                String why = p.isAlive() ? "no socket after " + timeout.toMillis() + " ms" : "exited with " + p.exitValue();
                String output = d.output();
                d.stop(false);
                throw new IllegalStateException(BINARY + " (aio=" + aio + ") " + why + ": " + output);
            }
            sleep(5);
        }
        return d;
    }

    private static void run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout.toMillis() + " ms");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
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

    public Path image() {
        return image;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the daemon printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log).strip() : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Kills the daemon by PID, waits for it, and removes the socket, image and log. */
    @Override
    public void close() {
        stop(true);
    }

    private void stop(boolean removeImage) {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path p : removeImage ? List.of(socket, image, log) : List.of(socket, log)) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + p, e);
            }
        }
    }
}
