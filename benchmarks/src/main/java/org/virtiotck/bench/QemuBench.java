package org.virtiotck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code scripts/bench qemu}: the qemu benchmarks in JMH, each measurement iteration preceded by a run of the C
 * peer against the same QEMU, and the Java/C ratio per iteration. Ratios mean something only within one run:
 * the machine's load changes between runs, and the peer and the Java iteration share the moment.
 * Arguments: the comparison file to write, the compiled C peer, then JMH options (a benchmark regex, -p ...).
 * JMH's own result file goes beside the comparison file as {@code jmh-qemu.json}.
 */
public final class QemuBench {
    private static final String DEFAULT_INCLUDE = "\\.Qemu(Mailbox|Blk)Benchmark\\.";
    /** Benchmark method to the name the C peer's runs are recorded under. */
    private static final List<String[]> PEERS = List.of(new String[] {"read32", "read32"},
            new String[] {"read4k", "blk-read-4k"});

    /** One measurement iteration beside the C run just before it; nanoseconds. */
    public record Iteration(double javaMedian, double javaP99, long cMedian, long cP99, double ratioMedian,
            double ratioP99) {
    }

    /**
     * A benchmark at one placement: Java over all its samples, C as the median of its runs' figures, and the ratios
     * as the median over iterations of Java/C, each iteration against the C run just before it.
     */
    public record Comparison(String benchmark, String placement, double javaMedianNs, double javaP90Ns,
            double javaP99Ns, long javaSamples, double cMedianNs, double cP90Ns, double cP99Ns, long cSamples,
            double ratioMedian, double ratioP99, List<Iteration> iterations) {
    }

    private QemuBench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        Path peer = Path.of(args[1]).toAbsolutePath();
        if (!Files.isExecutable(peer)) {
            throw new IllegalArgumentException("no C peer at " + peer + " (scripts/bench qemu compiles it)");
        }
        Path peerRuns = out.resolveSibling("qemu-peer-runs.jsonl");
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(peerRuns);
        CommandLineOptions cli = new CommandLineOptions(Arrays.copyOfRange(args, 2, args.length));
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(DEFAULT_INCLUDE);
        }
        Options o = options.resultFormat(ResultFormatType.JSON).result(out.resolveSibling("jmh-qemu.json").toString())
                .jvmArgsAppend("-D" + MailboxPeer.BINARY + "=" + peer, "-D" + MailboxPeer.RESULTS + "=" + peerRuns)
                .build();
        Collection<RunResult> results = new Runner(o).run();
        List<MailboxPeer.Run> runs = MailboxPeer.read(peerRuns);
        List<Comparison> comparisons = new ArrayList<>();
        for (RunResult r : results) {
            comparisons.add(compare(r, runs));
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), comparisons);
        System.out.println();
        System.out.println("qemu benchmarks, Java (JMH SampleTime, all samples) against the C peer (median of its runs),"
                + " ns per operation; J/C = median over iterations of Java/C, each against the C run just before it:");
        System.out.printf("%-12s %-11s %10s %10s %10s %10s %8s %8s%n", "benchmark", "placement", "Java p50",
                "C p50", "Java p99", "C p99", "p50 J/C", "p99 J/C");
        for (Comparison c : comparisons) {
            System.out.printf("%-12s %-11s %10.0f %10.0f %10.0f %10.0f %8.2f %8.2f%n", c.benchmark, c.placement,
                    c.javaMedianNs, c.cMedianNs, c.javaP99Ns, c.cP99Ns, c.ratioMedian, c.ratioP99);
        }
        System.out.println("results: " + out);
    }

    private static Comparison compare(RunResult r, List<MailboxPeer.Run> runs) {
        String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
        String placement = r.getParams().getParam("placement");
        String peerName = PEERS.stream().filter(p -> p[0].equals(method)).map(p -> p[1]).findFirst().orElse(method);
        List<MailboxPeer.Run> mine = runs.stream()
                .filter(x -> x.benchmark().equals(peerName) && x.placement().equals(placement)).toList();
        List<IterationResult> its = new ArrayList<>();
        for (BenchmarkResult b : r.getBenchmarkResults()) {
            its.addAll(b.getIterationResults());
        }
        List<Iteration> iterations = new ArrayList<>();
        for (int i = 0; i < its.size() && i < mine.size(); i++) {
            var s = its.get(i).getPrimaryResult().getStatistics();
            MailboxPeer.Run c = mine.get(i);
            iterations.add(new Iteration(s.getPercentile(50), s.getPercentile(99), c.median(), c.p99(),
                    s.getPercentile(50) / c.median(), s.getPercentile(99) / c.p99()));
        }
        var all = r.getPrimaryResult().getStatistics();
        double cMedian = median(mine.stream().mapToDouble(MailboxPeer.Run::median).toArray());
        double cP90 = median(mine.stream().mapToDouble(MailboxPeer.Run::p90).toArray());
        double cP99 = median(mine.stream().mapToDouble(MailboxPeer.Run::p99).toArray());
        double ratio = median(iterations.stream().mapToDouble(Iteration::ratioMedian).toArray());
        double ratioP99 = median(iterations.stream().mapToDouble(Iteration::ratioP99).toArray());
        return new Comparison(method, placement, all.getPercentile(50), all.getPercentile(90), all.getPercentile(99),
                all.getN(), cMedian, cP90, cP99, mine.stream().mapToLong(MailboxPeer.Run::n).sum(), ratio,
                ratioP99, iterations);
    }

    /** The median of {@code v}, NaN when empty (no C peer runs). */
    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
