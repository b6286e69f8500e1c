package org.virtiotck.reports;

/** A probe run together with the clause it checked: the unit the listener collects and the matrix is built from. */
public record ProbeResult(ClauseKey clause, ProbeRun run) {
}
