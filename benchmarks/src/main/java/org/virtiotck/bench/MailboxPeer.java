package org.virtiotck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.virtiotck.harness.qemu.QemuSession;

/**
 * The C peer ({@code src/main/c/mailbox_peer.c}, compiled by scripts/bench) run against the QEMU of a benchmark's
 * session, between JMH iterations: it maps the same RAM file and does the same operation, timed in C. Each run is
 * appended as one JSON line to the results file, for {@link QemuBench} to set beside the Java iterations.
 */
final class MailboxPeer {
    /** System properties the forked benchmark JVM gets from {@link QemuBench}. */
    static final String BINARY = "virtiotck.bench.peer";
    static final String RESULTS = "virtiotck.bench.peerResults";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run of the peer: the benchmark and placement it ran beside, nanoseconds per operation. */
    record Run(String benchmark, String placement, long n, long median, long p90, long p99, long max, double mean) {
    }

    record Output(long n, long median, long p90, long p99, long max, double mean) {
    }

    private MailboxPeer() {
    }

    /** Whether the benchmark JVM was given a peer to run. */
    static boolean configured() {
        return System.getProperty(BINARY) != null && System.getProperty(RESULTS) != null;
    }

    /** Runs the peer given to the benchmark JVM with {@code operation} against {@code session}, and records the run. */
    static Run runAndRecord(QemuSession session, String benchmark, String placement, String... operation) {
        Output o = run(Path.of(System.getProperty(BINARY)), session, operation);
        Run run = new Run(benchmark, placement, o.n, o.median, o.p90, o.p99, o.max, o.mean);
        try {
            Files.writeString(Path.of(System.getProperty(RESULTS)), JSON.writeValueAsString(run) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the C peer's run", e);
        }
        return run;
    }

    /** Runs {@code binary} with {@code operation} and its arguments against {@code session}'s RAM file and mailbox. */
    static Output run(Path binary, QemuSession session, String... operation) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), session.ramFile().toString(),
                "0x" + Long.toHexString(session.mailboxFileOffset())));
        cmd.addAll(List.of(operation));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("C peer still running after 120 s: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("C peer failed (exit " + p.exitValue() + "): " + err + " " + cmd);
            }
            return JSON.readValue(out, Output.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the C peer " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every run recorded in {@code results}, in order. */
    static List<Run> read(Path results) throws IOException {
        List<Run> runs = new ArrayList<>();
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results)) {
                if (!line.isBlank()) {
                    runs.add(JSON.readValue(line, Run.class));
                }
            }
        }
        return runs;
    }
}
