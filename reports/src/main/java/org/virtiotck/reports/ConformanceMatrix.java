package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The conformance matrix of one run: clauses down, targets across. It is exactly what conformance.json holds, so a
 * later run-merging step can read several files back into this type.
 *
 * @param generated    ISO-8601 instant the matrix was built
 * @param summary      number of probe runs per verdict, always every verdict, in PASS, REJECT, FAIL, WEDGED, KNOWN, SKIP order
 * @param coverage     per area of the clause catalogue, how many of its clauses the run covered, in catalogue order
 * @param uncatalogued clauses probes declared that the catalogue does not list so (an error in the probes or the
 *                     catalogue), in spec order
 * @param runs         null for the matrix of one run; in a merged matrix ({@link MatrixMerge}) the runs it was made
 *                     of, in input order, each owning a consecutive slice of {@code targets}
 */
@JsonPropertyOrder({"tool", "generated", "strict", "targets", "runs", "summary", "coverage", "uncatalogued", "clauses"})
public record ConformanceMatrix(String tool, String generated, boolean strict, List<String> targets,
                                Map<Verdict, Integer> summary, List<AreaCoverage> coverage,
                                List<UncataloguedClause> uncatalogued, List<ClauseRow> clauses,
                                List<MergedRun> runs) {

    public static final String TOOL = "virtio-tck";

    /** Reading order of the totals: outcomes first, then what was not checked. */
    private static final List<Verdict> SUMMARY_ORDER = List.of(Verdict.PASS, Verdict.REJECT, Verdict.FAIL,
            Verdict.WEDGED, Verdict.KNOWN, Verdict.SKIP);

    /** Spec, section and label identify a clause; the level is an attribute of it. */
    private record ClauseId(String spec, String section, String label) {
    }

    /** {@link #from(List, boolean, Instant, ClauseCatalogue)} against the standard clause catalogue. */
    public static ConformanceMatrix from(List<ProbeResult> results, boolean strict, Instant generated) {
        return from(results, strict, generated, ClauseCatalogue.standard());
    }

    /**
     * Builds the matrix from probe results in the order they were recorded (which fixes the target column order),
     * with the coverage of each catalogue area. An empty catalogue gives no coverage and checks no clause.
     */
    public static ConformanceMatrix from(List<ProbeResult> results, boolean strict, Instant generated,
                                         ClauseCatalogue catalogue) {
        List<String> targets = results.stream().map(r -> r.run().target()).distinct().toList();
        return from(results, targets, strict, generated, catalogue);
    }

    /** The same with the target columns in a given order; every result's target must be one of them. */
    static ConformanceMatrix from(List<ProbeResult> results, List<String> targets, boolean strict, Instant generated,
                                  ClauseCatalogue catalogue) {

        Map<ClauseId, List<ProbeResult>> byClause = new LinkedHashMap<>();
        for (ProbeResult result : results) {
            ClauseKey c = result.clause();
            byClause.computeIfAbsent(new ClauseId(c.spec(), c.section(), c.label()), id -> new ArrayList<>()).add(result);
        }
        List<ClauseRow> rows = byClause.values().stream().map(group -> row(group, targets)).sorted(ClauseRow.ORDER).toList();

        Map<Verdict, Integer> summary = new LinkedHashMap<>();
        SUMMARY_ORDER.forEach(v -> summary.put(v, 0));
        results.forEach(r -> summary.merge(r.run().verdict(), 1, Integer::sum));

        Set<AreaCoverage.Reported> reported = rows.stream()
                .map(r -> new AreaCoverage.Reported(r.spec(), r.section(), r.label()))
                .collect(Collectors.toSet());
        List<AreaCoverage> coverage = catalogue.areas().stream().map(a -> AreaCoverage.of(a, reported)).toList();

        return new ConformanceMatrix(TOOL, generated.truncatedTo(ChronoUnit.SECONDS).toString(), strict, targets, summary,
                coverage, catalogue.isEmpty() ? List.of() : uncatalogued(results, catalogue), rows, null);
    }

    /** This matrix as the merge of the given runs. */
    ConformanceMatrix withRuns(List<MergedRun> merged) {
        return new ConformanceMatrix(tool, generated, strict, targets, summary, coverage, uncatalogued, clauses,
                List.copyOf(merged));
    }

    /**
     * Whether SHOULD clauses are enforced for the runs of a target column: in a merged matrix each run keeps the
     * strictness it was made with, so a lenient run's SHOULD failure stays amber next to a strict run's red one.
     */
    public boolean strictFor(String target) {
        if (runs == null) {
            return strict;
        }
        return runs.stream().filter(r -> r.columns().contains(target)).findFirst().map(MergedRun::strict).orElse(strict);
    }

    /** Each distinct declared clause (level included) the catalogue does not list so, with the probes declaring it. */
    private static List<UncataloguedClause> uncatalogued(List<ProbeResult> results, ClauseCatalogue catalogue) {
        Map<ClauseKey, Set<String>> probesByClause = new LinkedHashMap<>();
        for (ProbeResult result : results) {
            probesByClause.computeIfAbsent(result.clause(), k -> new LinkedHashSet<>()).add(result.run().probe());
        }
        List<UncataloguedClause> found = new ArrayList<>();
        probesByClause.forEach((key, probes) -> catalogue.problem(key).ifPresent(problem -> found.add(
                new UncataloguedClause(key.spec(), key.section(), key.label(), key.level(), problem, List.copyOf(probes)))));
        found.sort(Comparator.comparing(UncataloguedClause::section, SectionOrder.INSTANCE)
                .thenComparing(UncataloguedClause::label)
                .thenComparing(UncataloguedClause::level));
        return List.copyOf(found);
    }

    private static ClauseRow row(List<ProbeResult> group, List<String> targets) {
        ClauseKey first = group.get(0).clause();
        // Should two probes disagree on the level, the stricter one wins: reporting a MUST as SHOULD would hide failures.
        Level level = group.stream().anyMatch(r -> r.clause().level() == Level.MUST) ? Level.MUST : first.level();
        List<ProbeRun> probes = group.stream().map(ProbeResult::run).toList();

        Map<String, Verdict> cells = new LinkedHashMap<>();
        for (String target : targets) {
            probes.stream().filter(p -> p.target().equals(target)).map(ProbeRun::verdict)
                    .max(Comparator.naturalOrder()).ifPresent(v -> cells.put(target, v));
        }
        Verdict verdict = cells.values().stream().max(Comparator.naturalOrder()).orElseThrow();
        return new ClauseRow(first.spec(), first.section(), first.label(), level, verdict, cells, probes);
    }

    /** Number of probe runs in the matrix. */
    public int runCount() {
        return clauses.stream().mapToInt(c -> c.probes().size()).sum();
    }

    /** Every FAIL, WEDGED and KNOWN probe run, in clause order (a KNOWN one is never enforced). */
    public List<Failure> failures() {
        List<Failure> failures = new ArrayList<>();
        for (ClauseRow clause : clauses) {
            for (ProbeRun run : clause.probes()) {
                if (run.verdict() == Verdict.FAIL || run.verdict() == Verdict.WEDGED || run.verdict() == Verdict.KNOWN) {
                    failures.add(new Failure(clause, run, clause.enforces(run.verdict(), strictFor(run.target()))));
                }
            }
        }
        return failures;
    }
}
