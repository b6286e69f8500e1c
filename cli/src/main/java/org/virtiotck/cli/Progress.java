package org.virtiotck.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A line on stderr every few seconds while a part of the run (the probes, the fuzz run) goes on, and one when it
 * ends: methods done of all selected, runs (one per target variant), failures so far, elapsed time. A run against
 * a slow back-end takes minutes; this shows it is alive and how far it is.
 */
final class Progress implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);
    private final String part;
    private final RunTally tally;
    private final PrintStream err;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;

    Progress(String part, RunTally tally, PrintStream err, Duration every) {
        this.part = part;
        this.tally = tally;
        this.err = err;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "virtio-tck-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = every.toMillis();
        timer.scheduleAtFixedRate(() -> err.println(line()), ms, ms, TimeUnit.MILLISECONDS);
    }

    String line() {
        long s = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        return String.format("virtio-tck %s: %d/%d done, %d runs, %d failed, %d:%02d elapsed", part,
                tally.methodsDone(), tally.methods(), tally.runs(), tally.failures(), s / 60, s % 60);
    }

    /** Stops the timer and prints the last line. */
    @Override
    public void close() {
        timer.shutdownNow();
        err.println(line());
    }
}
