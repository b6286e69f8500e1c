package org.virtiotck.reports;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Collects the outcome of every @{@link Clause} probe of a JUnit Platform run and, when the run ends, writes the
 * conformance report. Registered through META-INF/services, so Failsafe picks it up without configuration; it is
 * therefore also present in ordinary unit-test runs, where it sees no probes and stays silent.
 *
 * <p>Thread-safe, since Jupiter may run probes in parallel.
 */
public final class ConformanceListener implements TestExecutionListener {
    /** Target of a probe run that published none, e.g. a disabled probe that never reached a target. */
    public static final String UNKNOWN_TARGET = "unknown";
    private static final int MAX_MESSAGE = 2000;

    /** Report entries by unique id; they are published during an invocation, before it finishes. */
    private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
    private final List<ProbeResult> results = Collections.synchronizedList(new ArrayList<>());
    private volatile TestPlan plan;
    /** Null: read from the system properties when the run ends (the listener Failsafe registers). */
    private final ReportSettings settings;

    public ConformanceListener() {
        this(null);
    }

    /** A listener registered by hand, e.g. by a test that runs probes and wants the report in a directory of its own. */
    public ConformanceListener(ReportSettings settings) {
        this.settings = settings;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        entries.clear();
        results.clear();
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        entries.computeIfAbsent(identifier.getUniqueId(), id -> new ConcurrentHashMap<>()).putAll(entry.getKeyValuePairs());
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        // A disabled class or template method is skipped as a container and its probes never start, so the probes
        // below it are recorded here. Template invocations do not exist yet, so nothing is recorded twice.
        Stream.concat(Stream.of(identifier), plan.getDescendants(identifier).stream())
                .forEach(skipped -> record(skipped, Map.of(), Verdict.SKIP, reason));
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Map<String, String> published = Optional.ofNullable(entries.remove(identifier.getUniqueId())).orElse(Map.of());
        // Containers are reported only when they broke on their own (a probe template that could not even set up
        // its invocations); otherwise their invocations, which are tests, carry the outcome.
        if (!identifier.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            return;
        }
        Verdict verdict = Verdict.of(published, result.getStatus());
        String detail = published.containsKey(ReportKeys.DETAIL)
                ? published.get(ReportKeys.DETAIL)
                : result.getThrowable().map(ConformanceListener::message).orElse(null);
        record(identifier, published, verdict, detail);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (results.isEmpty()) {
            return;
        }
        ReportSettings settings = this.settings != null ? this.settings : ReportSettings.fromSystemProperties();
        ConformanceMatrix matrix = ConformanceMatrix.from(List.copyOf(results), settings.strict(), Instant.now(), catalogue());
        try {
            ConformanceReport.publish(matrix, settings.outputDir(), settings.formats(), System.out);
        } catch (IOException e) {
            // The launcher only logs listener exceptions, so say it where the user is looking.
            System.err.println("virtio-tck: could not write the conformance report to " + settings.outputDir() + ": " + e);
        }
    }

    /** The standard catalogue; a broken one is reported and leaves the matrix without coverage rather than unwritten. */
    private static ClauseCatalogue catalogue() {
        try {
            return ClauseCatalogue.standard();
        } catch (CatalogueException e) {
            System.err.println("virtio-tck: no catalogue coverage in this report: " + e.getMessage());
            return ClauseCatalogue.EMPTY;
        }
    }

    private void record(TestIdentifier identifier, Map<String, String> published, Verdict verdict, String detail) {
        ProbeMethod.of(identifier).ifPresent(probe -> results.add(new ProbeResult(
                probe.clause().inSection(published.get(ReportKeys.SECTION)), new ProbeRun(
                probe.name(),
                identifier.getDisplayName(),
                published.getOrDefault(ReportKeys.TARGET, UNKNOWN_TARGET),
                verdict,
                detail,
                published.get(ReportKeys.REPRODUCE)))));
    }

    private static String message(Throwable t) {
        // Some exceptions (NullPointerException without helpful messages, plain AssertionError) carry no message.
        String message = t.getMessage() != null ? t.getMessage() : t.toString();
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    }
}
