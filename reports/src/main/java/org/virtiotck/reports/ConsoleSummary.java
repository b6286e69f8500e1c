package org.virtiotck.reports;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The few lines printed at the end of a run. It has to fit one screen, so failures are capped and their details cut
 * to a few lines; the HTML report has everything.
 */
public final class ConsoleSummary {
    private static final int MAX_FAILURES = 10;
    private static final int MAX_DETAIL_LINES = 4;
    private static final String INDENT = "    ";

    private ConsoleSummary() {
    }

    public static void print(ConformanceMatrix matrix, Path html, Path json, PrintStream out) {
        out.printf("virtio-tck: %d probe runs over %d clauses against %s%n",
                matrix.runCount(), matrix.clauses().size(), String.join(", ", matrix.targets()));
        out.println(matrix.summary().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("  ")));

        printCoverage(matrix, out);

        List<Failure> failures = matrix.failures();
        failures.stream().limit(MAX_FAILURES).forEach(f -> printFailure(f, out));
        if (failures.size() > MAX_FAILURES) {
            out.printf("  ... and %d more failures in the HTML report%n", failures.size() - MAX_FAILURES);
        }

        printUncatalogued(matrix, out);

        // Either file may be left out on the command line (--format); null then.
        if (html != null) {
            out.println("virtio-tck report: " + html.toAbsolutePath());
        }
        if (json != null) {
            out.println("virtio-tck json:   " + json.toAbsolutePath());
        }
    }

    /** One line: per catalogue area, covered of catalogued clauses and the same for MUST clauses. */
    private static void printCoverage(ConformanceMatrix matrix, PrintStream out) {
        List<AreaCoverage> coverage = matrix.coverage() == null ? List.of() : matrix.coverage();
        if (coverage.isEmpty()) {
            return;
        }
        out.println("catalogue coverage: " + coverage.stream()
                .map(a -> String.format("%s %d/%d (MUST %d/%d)", a.area(), a.covered(), a.catalogued(), a.mustCovered(), a.mustCatalogued()))
                .collect(Collectors.joining(", ")));
    }

    private static void printUncatalogued(ConformanceMatrix matrix, PrintStream out) {
        List<UncataloguedClause> uncatalogued = matrix.uncatalogued() == null ? List.of() : matrix.uncatalogued();
        if (uncatalogued.isEmpty()) {
            return;
        }
        out.printf("ERROR: %d probe clause%s not in the clause catalogue (reports/src/main/resources/%s):%n",
                uncatalogued.size(), uncatalogued.size() == 1 ? " is" : "s are", ClauseCatalogue.RESOURCE_DIR);
        uncatalogued.stream().limit(MAX_FAILURES).forEach(u -> out.printf("  %s [%s] %s — %s — %s%n",
                u.section(), u.level(), u.label(), u.problem(), String.join(", ", u.probes())));
        if (uncatalogued.size() > MAX_FAILURES) {
            out.printf("  ... and %d more in the HTML report%n", uncatalogued.size() - MAX_FAILURES);
        }
    }

    private static void printFailure(Failure failure, PrintStream out) {
        ClauseRow clause = failure.clause();
        ProbeRun run = failure.run();
        String tag = failure.enforced() || run.verdict() != Verdict.FAIL ? run.verdict().name() : "FAIL(SHOULD, not enforced)";
        out.printf("  %-7s %s [%s] %s — %s [%s]%n", tag, clause.section(), clause.level(), clause.label(), run.probe(), run.target());
        if (run.detail() != null) {
            List<String> lines = run.detail().lines().filter(l -> !l.isBlank()).toList();
            boolean cut = lines.size() > MAX_DETAIL_LINES;
            lines.stream().limit(cut ? MAX_DETAIL_LINES - 1 : MAX_DETAIL_LINES).forEach(l -> out.println(INDENT + l.strip()));
            if (cut) {
                out.printf("%s... %d more lines in the HTML report%n", INDENT, lines.size() - (MAX_DETAIL_LINES - 1));
            }
        }
        if (run.reproduce() != null) {
            out.println(INDENT + "reproduce: " + run.reproduce());
        }
    }
}
