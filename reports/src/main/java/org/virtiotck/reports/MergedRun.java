package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * One run of a merged matrix, as its conformance.json recorded it.
 *
 * @param label    the alias given for the input, or one derived from its targets ({@link TargetLabels#runLabel})
 * @param source   the conformance.json it was read from
 * @param targets  its target variants as the run named them, in its column order
 * @param columns  the merged matrix's columns for those targets, same order: the target itself, or
 *                 "label: target" when an earlier run of the merge already has a column of that name
 * @param summary  its own verdict counts
 * @param coverage its own catalogue coverage per area, as the run computed it
 */
@JsonPropertyOrder({"label", "source", "generated", "strict", "targets", "columns", "summary", "coverage"})
public record MergedRun(String label, String source, String generated, boolean strict, List<String> targets,
                        List<String> columns, Map<Verdict, Integer> summary, List<AreaCoverage> coverage) {
}
