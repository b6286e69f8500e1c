package org.virtiotck.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts kept across a whole fuzz run, read by the progress line and the summary: cases run, and cases with a
 * finding per oracle (shrinking reruns count too: they are cases the device ran).
 */
public final class FuzzStats {
    private static final AtomicLong CASES = new AtomicLong();
    private static final Map<String, LongAdder> BY_ORACLE = new ConcurrentHashMap<>();

    private FuzzStats() {
    }

    static void record(Findings findings) {
        CASES.incrementAndGet();
        findings.list().stream().map(FuzzFinding::oracle).distinct()
                .forEach(o -> BY_ORACLE.computeIfAbsent(o, k -> new LongAdder()).increment());
    }

    public static long cases() {
        return CASES.get();
    }

    /** Cases with at least one finding of each oracle, by oracle name. */
    public static Map<String, Long> findingsByOracle() {
        Map<String, Long> out = new TreeMap<>();
        BY_ORACLE.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
