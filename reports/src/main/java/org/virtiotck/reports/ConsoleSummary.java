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

        List<Failure> failures = matrix.failures();
        failures.stream().limit(MAX_FAILURES).forEach(f -> printFailure(f, out));
        if (failures.size() > MAX_FAILURES) {
            out.printf("  ... and %d more failures in the HTML report%n", failures.size() - MAX_FAILURES);
        }

        out.println("virtio-tck report: " + html.toAbsolutePath());
        out.println("virtio-tck json:   " + json.toAbsolutePath());
    }

    private static void printFailure(Failure failure, PrintStream out) {
        ClauseRow clause = failure.clause();
        ProbeRun run = failure.run();
        String tag = failure.enforced() ? run.verdict().name() : "FAIL(SHOULD, not enforced)";
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
