package org.virtiotck.probes.report;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's chromium run headless once per call: a fresh profile directory, no network services, a deadline.
 * Whatever the call leaves running (chromium forks renderer and utility processes) is killed by process id: they
 * all carry the call's own profile directory on their command line.
 */
final class HeadlessChromium {
    /** The Debian package that installs it; scripts/test installs it as root. */
    static final String PACKAGE = "chromium";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The first chromium on the PATH, if any. */
    static Optional<HeadlessChromium> find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessChromium(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** Renders the page in a window of the given size and writes the screenshot (PNG). */
    void screenshot(Path page, String hash, Path png, int width, int height) throws IOException, InterruptedException {
        Path out = Files.createTempFile("chromium-", ".out");
        try {
            run(page, hash, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height), out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The DOM once the page has loaded, laid out in a window of the given size, and its scripts have run. */
    String dumpDom(Path page, String hash, int width, int height) throws IOException, InterruptedException {
        Path out = Files.createTempFile("chromium-", ".html");
        try {
            run(page, hash, List.of("--dump-dom", "--window-size=" + width + "," + height), out);
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private void run(Path page, String hash, List<String> action, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile-");
        Path stderr = Files.createTempFile("chromium-", ".err");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile));
        command.addAll(action);
        command.add(page.toAbsolutePath().toUri() + hash);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within " + DEADLINE + ": " + String.join(" ", command)
                        + "\n" + tail(stderr));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ": " + String.join(" ", command)
                        + "\n" + tail(stderr));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            killLeftOvers(profile);
            deleteTree(profile);
            Files.deleteIfExists(stderr);
        }
    }

    /** Processes still running with this call's profile directory: children orphaned when chromium exited. */
    static List<ProcessHandle> leftOvers(Path profile) {
        String marker = "--user-data-dir=" + profile;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)
                        || p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .toList();
    }

    private static void killLeftOvers(Path profile) throws InterruptedException {
        for (int round = 0; round < 50; round++) {
            List<ProcessHandle> left = leftOvers(profile);
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            Thread.sleep(100);
        }
        throw new AssertionError("chromium processes still running after being killed: " + leftOvers(profile));
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
