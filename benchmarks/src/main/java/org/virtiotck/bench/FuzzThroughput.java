package org.virtiotck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.fuzz.Batch;
import org.virtiotck.fuzz.BlkFuzzRequest;
import org.virtiotck.fuzz.BlkRequestType;
import org.virtiotck.fuzz.FuzzCase;
import org.virtiotck.fuzz.FuzzFinding;
import org.virtiotck.fuzz.FuzzRunner;
import org.virtiotck.fuzz.Step;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;
import org.virtiotck.harness.vhostuser.QemuStorageDaemon;

/**
 * Fuzz throughput through {@link FuzzRunner}, with the oracles on: cases per second for a fixed case (one batch of
 * {@link #CASE_STEPS} one-request steps, writes and reads of one sector in turn) and well-formed requests per second
 * (one batch of {@link #REQUEST_STEPS} such steps, counted per request), on inproc blk over split and packed rings
 * and on a qemu-storage-daemon vhost-user-blk export started here (skipped if it is not installed). Each rate is
 * given per wall-clock second and per CPU second of the fuzzing thread (the in-process device runs on that thread;
 * the daemon's own CPU is not counted), since a loaded machine makes the wall-clock rate mean little.
 * Arguments: result file, warm-up seconds, measured seconds.
 */
public final class FuzzThroughput {
    static final int CASE_STEPS = 8;
    static final int REQUEST_STEPS = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One measurement: what ran where, how many units (cases or requests) per wall and per CPU second. */
    public record Rate(String target, String measure, long units, double wallSeconds, double cpuSeconds,
            double perWallSecond, double perCpuSecond) {
    }

    private FuzzThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/target/fuzz-throughput.json");
        Duration warmup = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        Duration measure = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
        List<Rate> rates = new ArrayList<>();
        for (String target : List.of("inproc:blk?transport=mmio&ring=split", "inproc:blk?transport=mmio&ring=packed")) {
            rates.addAll(measureTarget(variant(target), warmup, measure));
        }
        if (QemuStorageDaemon.binary().isPresent()) {
            Path dir = Files.createTempDirectory("fuzz-throughput");
            try (QemuStorageDaemon qsd = QemuStorageDaemon.start(dir, 64 << 20, true, Duration.ofSeconds(10))) {
                TargetVariant v = variant("vhost-user:" + qsd.socket() + "?device=blk&ring=split&image=" + qsd.image());
                rates.addAll(measureTarget(v, warmup, measure));
            } finally {
                Files.deleteIfExists(dir);
            }
        } else {
            System.out.println("fuzz throughput: " + QemuStorageDaemon.BINARY + " not installed; vhost-user not measured");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), rates);
        System.out.println("fuzz throughput results: " + out.toAbsolutePath());
    }

    private static TargetVariant variant(String target) {
        return TargetSpec.parse(target).variants().get(0);
    }

    private static List<Rate> measureTarget(TargetVariant v, Duration warmup, Duration measure) {
        try (FuzzRunner runner = new FuzzRunner(v)) {
            FuzzCase fixed = oneBatch(CASE_STEPS);
            FuzzCase requests = oneBatch(REQUEST_STEPS);
            run(runner, v, fixed, "warm-up", 1, warmup);
            List<Rate> rates = List.of(run(runner, v, fixed, "cases (1 batch of " + CASE_STEPS + " one-request steps)", 1, measure),
                    run(runner, v, requests, "requests (batches of " + REQUEST_STEPS + " one-request steps)", REQUEST_STEPS, measure));
            rates.forEach(r -> System.out.printf("fuzz throughput: %-40s %-45s %,10.0f/s wall %,10.0f/s per CPU s%n",
                    r.target(), r.measure(), r.perWallSecond(), r.perCpuSecond()));
            return rates;
        }
    }

    /** Runs {@code fuzzCase} until {@code time} is spent; any finding stops the benchmark, its rate would mean nothing. */
    private static Rate run(FuzzRunner runner, TargetVariant v, FuzzCase fuzzCase, String measure, int unitsPerCase,
            Duration time) {
        long wall0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long cases = 0;
        while (System.nanoTime() - wall0 < time.toNanos()) {
            List<FuzzFinding> findings = runner.run(fuzzCase);
            if (!findings.isEmpty()) {
                throw new IllegalStateException(v.canonical() + " found " + findings + " in the benchmark case");
            }
            cases++;
        }
        double wall = (System.nanoTime() - wall0) / 1e9;
        double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long units = cases * unitsPerCase;
        return new Rate(v.canonical(), measure, units, wall, cpu, units / wall, units / cpu);
    }

    /** One batch of {@code steps} one-sector requests, writes and reads in turn, spread over the disk. */
    static FuzzCase oneBatch(int steps) {
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            BlkRequestType type = i % 2 == 0 ? BlkRequestType.OUT : BlkRequestType.IN;
            list.add(new Step(List.of(new BlkFuzzRequest(type, (i * 37L) % 2000, 1, List.of(), false))));
        }
        return new FuzzCase(List.of(), List.of(new Batch(list)));
    }
}
