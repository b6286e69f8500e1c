package org.virtiotck.reports.allure;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.virtiotck.reports.CatalogueException;
import org.virtiotck.reports.ClauseCatalogue;
import org.virtiotck.reports.ProbeMethod;
import org.virtiotck.reports.ReportKeys;
import org.virtiotck.reports.Verdict;

/**
 * Writes Allure results for every test of a JUnit Platform run: probes with their verdict, clause labels, spec
 * link and, when they fail, the request trace; other tests (the fuzz run) with their JUnit outcome. Registered
 * through META-INF/services next to the conformance listener, and active only when the system property
 * {@value #DIRECTORY_PROPERTY} names the results directory, as the Failsafe runs of device-probes and fuzz do;
 * the project's unit tests set nothing and write nothing. The directory is emptied of an earlier run's results
 * when the first test plan of the JVM starts. A test plan that starts while another one writes (the fuzz run's
 * rounds, each a jqwik property through a launcher of its own) writes nothing: the outer test carries the outcome.
 *
 * <p>Thread-safe, since Jupiter may run tests in parallel.
 */
public final class AllureListener implements TestExecutionListener {
    /** The property Allure's own integrations read for the same purpose. */
    public static final String DIRECTORY_PROPERTY = "allure.results.directory";
    private static final Map<Path, Boolean> CLEARED = new ConcurrentHashMap<>();
    /** Test plans of this JVM now being written by an active listener. */
    private static final AtomicInteger WRITING = new AtomicInteger();

    private final AllureResultsDir out;
    private final ProbeResults results;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
    private volatile TestPlan plan;
    private volatile boolean wroteAny;
    /** Null until a plan starts; then whether this listener writes it (it is active and the plan is not nested). */
    private volatile Boolean writing;

    /** The listener the launcher finds through META-INF/services: the directory from the system property. */
    public AllureListener() {
        this(Optional.ofNullable(System.getProperty(DIRECTORY_PROPERTY)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath()).orElse(null));
    }

    /** A listener writing to {@code dir}; null makes it write nothing. */
    public AllureListener(Path dir) {
        this.out = dir == null ? null : new AllureResultsDir(dir);
        this.results = dir == null ? null : new ProbeResults(SpecLinks.standard(), catalogue());
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        writing = out != null && WRITING.getAndIncrement() == 0;
        if (out != null && !writing) {
            WRITING.decrementAndGet();
        }
        if (writing && CLEARED.putIfAbsent(out.path(), Boolean.TRUE) == null) {
            out.clear();
        }
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        started.put(identifier.getUniqueId(), System.currentTimeMillis());
    }

    @Override
    public void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        entries.computeIfAbsent(identifier.getUniqueId(), id -> new ConcurrentHashMap<>()).putAll(entry.getKeyValuePairs());
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (!Boolean.TRUE.equals(writing)) {
            return;
        }
        // A disabled class or template is skipped as a container: its probes never start, so record them here.
        long now = System.currentTimeMillis();
        Stream.concat(Stream.of(identifier), plan.getDescendants(identifier).stream())
                .filter(t -> t.isTest() || ProbeMethod.of(t).isPresent())
                .forEach(t -> finish(t, now, Verdict.SKIP, AllureResult.SKIPPED, new SkippedReason(reason), Map.of()));
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Map<String, String> published = Optional.ofNullable(entries.remove(identifier.getUniqueId())).orElse(Map.of());
        long start = Optional.ofNullable(started.remove(identifier.getUniqueId())).orElse(System.currentTimeMillis());
        boolean containerPassed = !identifier.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
        if (!Boolean.TRUE.equals(writing) || containerPassed) {
            return;
        }
        Verdict verdict = Verdict.of(published, result.getStatus());
        String status = switch (result.getStatus()) {
            case SUCCESSFUL -> AllureResult.PASSED;
            case ABORTED -> AllureResult.SKIPPED;
            // A container that broke on its own never ran its tests to a verdict.
            case FAILED -> identifier.isTest() ? AllureResult.FAILED : AllureResult.BROKEN;
        };
        finish(identifier, start, verdict, status, result.getThrowable().orElse(null), published);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (!Boolean.TRUE.equals(writing)) {
            return;
        }
        WRITING.decrementAndGet();
        writing = false;
        if (!wroteAny) {
            return;
        }
        try {
            out.writeRunFiles(Map.of(
                    "target", System.getProperty("virtio.target", "inproc"),
                    "strict", String.valueOf(System.getProperty("virtio.strict", "false")),
                    "java.version", System.getProperty("java.version"),
                    "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        } catch (RuntimeException e) {
            System.err.println("virtio-tck: could not write the Allure run files to " + out.path() + ": " + e);
        }
    }

    private void finish(TestIdentifier identifier, long start, Verdict verdict, String junitStatus, Throwable thrown,
            Map<String, String> published) {
        Optional<MethodSource> source = identifier.getSource().filter(MethodSource.class::isInstance)
                .map(MethodSource.class::cast);
        String className = source.map(MethodSource::getClassName).orElse(identifier.getLegacyReportingName());
        String methodName = source.map(MethodSource::getMethodName).orElse(identifier.getDisplayName());
        TestCall call = new TestCall(className, methodName, identifier.getDisplayName(), start,
                System.currentTimeMillis(), thrown);
        try {
            Optional<ProbeMethod> probe = ProbeMethod.of(identifier);
            AllureResult r = probe.isPresent()
                    ? results.probe(call, probe.get().clause().inSection(published.get(ReportKeys.SECTION)), verdict,
                            published, out)
                    : results.test(call, junitStatus, junitStatus.equals(AllureResult.SKIPPED) && thrown != null
                            && String.valueOf(thrown.getMessage()).startsWith("KNOWN"));
            out.write(r);
            wroteAny = true;
        } catch (RuntimeException e) {
            // The launcher only logs listener exceptions; say it where the user looks, and keep the run going.
            System.err.println("virtio-tck: could not write the Allure result of " + identifier.getDisplayName()
                    + " to " + out.path() + ": " + e);
        }
    }

    private static ClauseCatalogue catalogue() {
        try {
            return ClauseCatalogue.standard();
        } catch (CatalogueException e) {
            return ClauseCatalogue.EMPTY;
        }
    }

    /** Carries the reason a disabled test was skipped as the message of its result; no stack trace of its own. */
    private static final class SkippedReason extends Throwable {
        SkippedReason(String reason) {
            super(reason, null, false, false);
        }
    }
}
