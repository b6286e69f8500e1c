package org.virtiotck.fuzz;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The line a long campaign prints every few seconds, so that a run of hours shows it is alive and how it fares:
 * elapsed time, cases, cases per second, cases with findings per oracle, distinct findings.
 */
final class ProgressLine implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    private final ScheduledExecutorService timer;

    /** Prints {@code line} to {@code out} every {@code every} until closed. */
    ProgressLine(Duration every, PrintStream out, Supplier<String> line) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fuzz-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleAtFixedRate(() -> out.println(line.get()), ms, ms, TimeUnit.MILLISECONDS);
    }

    static String format(Duration elapsed, long cases, Map<String, Long> byOracle, int distinct) {
        long s = elapsed.toSeconds();
        double rate = elapsed.isZero() ? 0 : cases / (elapsed.toNanos() / 1e9);
        return String.format("fuzz: %d:%02d:%02d elapsed, %d cases, %.0f cases/s, findings %s, %d distinct",
                s / 3600, s / 60 % 60, s % 60, cases, rate, byOracle.isEmpty() ? "none" : byOracle, distinct);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
