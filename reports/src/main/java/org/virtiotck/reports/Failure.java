package org.virtiotck.reports;

/** A FAIL or WEDGED probe run with its clause, and whether it fails the build (see {@link ClauseRow#enforces}). */
public record Failure(ClauseRow clause, ProbeRun run, boolean enforced) {
}
