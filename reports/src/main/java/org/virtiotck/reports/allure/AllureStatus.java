package org.virtiotck.reports.allure;

import org.virtiotck.reports.Verdict;

/**
 * Our verdicts as Allure statuses. FAIL is "failed" (the device broke the clause: an assertion about it failed);
 * WEDGED is "broken" (the device stopped answering, so the probe could not finish judging), which Allure shows
 * apart from failed while still counting it as a problem. REJECT is "passed", like in JUnit: the device refused
 * a malformed request safely (the verdict label says REJECT). SKIP is "skipped", and so is KNOWN, flagged as a
 * known issue: a deviation already explained does not fail the gate, so it should not turn the report red either.
 * A SHOULD clause's FAIL stays "failed" with severity normal, as in the conformance matrix, although JUnit counts
 * it as skipped without -Dstrict.
 */
public final class AllureStatus {
    private AllureStatus() {
    }

    public static String of(Verdict verdict) {
        return switch (verdict) {
            case PASS, REJECT -> AllureResult.PASSED;
            case FAIL -> AllureResult.FAILED;
            case WEDGED -> AllureResult.BROKEN;
            case SKIP, KNOWN -> AllureResult.SKIPPED;
        };
    }
}
