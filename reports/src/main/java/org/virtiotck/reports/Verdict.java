package org.virtiotck.reports;

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
    WEDGED
}
