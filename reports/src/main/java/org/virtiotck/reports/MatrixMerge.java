package org.virtiotck.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the matrices of several runs into one: one row per clause, the runs' target columns side by side in input
 * order. The probe runs are fed back through {@link ConformanceMatrix#from} so that cells, row verdicts, totals and
 * the catalogue coverage of all runs together are computed exactly as for a single run; each run's own totals and
 * coverage are kept in {@link ConformanceMatrix#runs()}. A single run merged alone gives its own matrix back.
 */
public final class MatrixMerge {
    private MatrixMerge() {
    }

    /** A matrix read back, with the label its columns get. */
    public record Run(String label, String source, ConformanceMatrix matrix) {
    }

    public static ConformanceMatrix merge(List<Run> runs, Instant generated, ClauseCatalogue catalogue) {
        if (runs.isEmpty()) {
            throw new MergeException("nothing to merge: name at least one conformance.json");
        }
        Set<String> labels = new HashSet<>();
        Set<String> columns = new HashSet<>();
        List<String> order = new ArrayList<>();
        List<ProbeResult> results = new ArrayList<>();
        List<MergedRun> merged = new ArrayList<>();
        for (Run run : runs) {
            if (!labels.add(run.label())) {
                throw new MergeException(run.source() + ": label '" + run.label() + "' is already used by another input;"
                        + " give each input its own alias (alias=path)");
            }
            ConformanceMatrix m = run.matrix();
            Map<String, String> column = new LinkedHashMap<>();
            for (String target : m.targets()) {
                // The same target in two runs (yesterday's and today's, say) still needs two columns.
                String name = columns.contains(target) ? run.label() + ": " + target : target;
                if (!columns.add(name)) {
                    throw new MergeException(run.source() + ": target '" + target + "' twice under label '"
                            + run.label() + "'");
                }
                column.put(target, name);
                order.add(name);
            }
            for (ClauseRow row : m.clauses()) {
                ClauseKey clause = new ClauseKey(row.spec(), row.section(), row.label(), row.level());
                for (ProbeRun p : row.probes()) {
                    results.add(new ProbeResult(clause, new ProbeRun(p.probe(), p.displayName(), column.get(p.target()),
                            p.verdict(), p.detail(), p.reproduce())));
                }
            }
            merged.add(new MergedRun(run.label(), run.source(), m.generated(), m.strict(), m.targets(),
                    List.copyOf(column.values()), m.summary(), m.coverage() == null ? List.of() : m.coverage()));
        }
        boolean strict = runs.stream().allMatch(r -> r.matrix().strict());
        return ConformanceMatrix.from(results, order, strict, generated, catalogue).withRuns(merged);
    }
}
