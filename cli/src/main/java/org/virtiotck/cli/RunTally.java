package org.virtiotck.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts what a run finished and what failed it, as Maven's build result would: a probe that ended FAIL or
 * WEDGED (on a MUST clause, or any clause with --strict) and a fuzz round with a finding are JUnit failures;
 * SKIP, REJECT, KNOWN and a SHOULD clause's FAIL without --strict are not. Also counts the templates (probe
 * methods and the fuzz factory) of the plan, so that progress can say how far it is.
 */
final class RunTally implements TestExecutionListener {
    private final AtomicInteger methods = new AtomicInteger();
    private final AtomicInteger methodsDone = new AtomicInteger();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final PrintStream err;

    RunTally(PrintStream err) {
        this.err = err;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        plan.getRoots().forEach(root -> plan.getDescendants(root).stream()
                .filter(RunTally::isMethod).forEach(m -> methods.incrementAndGet()));
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (isMethod(id)) {
            methodsDone.incrementAndGet();
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (isMethod(id)) {
            methodsDone.incrementAndGet();
        }
        if (id.isTest()) {
            runs.incrementAndGet();
        }
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            failed.incrementAndGet();
            if (!id.isTest()) {
                // A probe's failure is in the summary; an engine or a class that broke would otherwise go unsaid.
                err.println("virtio-tck: " + id.getDisplayName() + " failed: "
                        + result.getThrowable().map(Throwable::toString).orElse("no reason given"));
            }
        }
    }

    /** A probe method or the fuzz factory: a template whose runs JUnit makes during execution. */
    private static boolean isMethod(TestIdentifier id) {
        return id.isContainer() && ProbeDiscovery.entry(id.getSource()).isPresent();
    }

    int methods() {
        return methods.get();
    }

    int methodsDone() {
        return methodsDone.get();
    }

    int runs() {
        return runs.get();
    }

    int failures() {
        return failed.get();
    }
}
