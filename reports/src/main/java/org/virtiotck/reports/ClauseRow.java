package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One clause of the matrix. {@code cells} maps each target the clause ran on (in the matrix's target order) to
 * the most severe verdict of its probe runs there; targets it never ran on have no entry. {@code verdict} is the
 * most severe cell.
 */
@JsonPropertyOrder({"spec", "section", "label", "level", "verdict", "cells", "probes"})
public record ClauseRow(String spec, String section, String label, Level level, Verdict verdict,
                        Map<String, Verdict> cells, List<ProbeRun> probes) {

    /** Spec order: by section number, then label; spec version last only to make the order total. */
    public static final Comparator<ClauseRow> ORDER = Comparator.comparing(ClauseRow::section, SectionOrder.INSTANCE)
            .thenComparing(ClauseRow::label)
            .thenComparing(ClauseRow::spec);

    /**
     * Whether {@code verdict} on this clause fails the build. A wedged device always does; a FAIL does on a MUST
     * clause, and on a SHOULD clause only in strict mode.
     */
    public boolean enforces(Verdict verdict, boolean strict) {
        return switch (verdict) {
            case WEDGED -> true;
            case FAIL -> level == Level.MUST || strict;
            case PASS, REJECT, SKIP, KNOWN -> false;
        };
    }
}
