package org.virtiotck.reports;

import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;

/**
 * How one probe ended. FAIL: the device broke the clause (a SHOULD clause fails the build only under strict).
 * WEDGED: the device stopped answering within the deadline. SKIP: the device does not offer what the probe needs.
 * REJECT: a malformed request the probe made on purpose was refused safely (not completed, or the device asked for
 * a reset or dropped the connection, or it was returned without harm) and a well-formed one was served after it; a
 * good outcome like PASS, which does not fail the build.
 * KNOWN: a FAIL or WEDGED that the back-end's known-deviation list explains with evidence; shown as such, never as
 * PASS, and it does not fail the build. Declared from least to most severe, so a clause row takes the most severe
 * verdict of its probes.
 */
public enum Verdict {
    SKIP,
    PASS,
    REJECT,
    KNOWN,
    FAIL,
    WEDGED;

    /**
     * A probe run's verdict: the one its extension published, else what JUnit's outcome means (a test outside our
     * extension, or one that broke before it could say). A malformed published verdict falls back to the outcome
     * rather than dropping the run.
     */
    public static Verdict of(Map<String, String> published, TestExecutionResult.Status status) {
        String value = published.get(ReportKeys.VERDICT);
        if (value != null) {
            try {
                return valueOf(value.strip());
            } catch (IllegalArgumentException e) {
                // not one of ours: fall back to JUnit's outcome
            }
        }
        return switch (status) {
            case SUCCESSFUL -> PASS;
            case ABORTED -> SKIP;
            case FAILED -> FAIL;
        };
    }
}
