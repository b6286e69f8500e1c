package org.virtiotck.reports;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders conformance.html from the conformance.mustache template. Mustache is logic-less, so every choice the page
 * shows (badge text, colour class) is made here into small view records; the template only lays them out and
 * escapes them.
 */
public final class ConformanceHtml {
    private static final String TEMPLATE = "conformance.mustache";

    /**
     * {@code merged}: the matrix merges runs ({@link ConformanceMatrix#runs()}); the page then groups the columns
     * under their run's label and shows each run's coverage side by side.
     */
    private record Page(String heading, String generated, boolean strict, List<Total> totals, boolean merged,
                        List<RunView> runs, List<ColumnView> columns, List<Row> rows, List<FailureView> failures,
                        List<CoverageView> coverage, List<AreaRunsView> runCoverage, boolean hasUncatalogued,
                        List<UncataloguedView> uncatalogued, String uncataloguedHeading) {
    }

    /** A merged run's group header: its label over its {@code span} columns; {@code title} says where it came from. */
    private record RunView(String label, int span, String title) {
    }

    /** A column header: the short label shown and the whole target string as its tooltip. */
    private record ColumnView(String label, String target) {
    }

    /** One catalogue area with, per merged run, "N of M" of its clauses and of its MUST clauses. */
    private record AreaRunsView(String area, String title, List<RunCoverageCell> runs) {
    }

    private record RunCoverageCell(String run, String text, String must, int percent) {
    }

    private record Total(Badge badge, int count) {
    }

    /** {@code notCatalogued}: the clause (at this level) is not in the catalogue. */
    private record Row(String spec, String section, String label, Level level, Verdict verdict, List<Cell> cells,
                       boolean notCatalogued) {
    }

    /** One catalogue area: the figures, a bar width in percent, and its uncovered clauses. */
    private record CoverageView(String area, String title, int catalogued, int covered, int mustCatalogued,
                                int mustCovered, int percent, int mustPercent, boolean hasUncovered,
                                List<UncoveredView> uncovered) {
    }

    /** {@code note} is empty rather than null: Mustache would look a missing value up in the enclosing views. */
    private record UncoveredView(String section, Level level, String levelCss, String label, String note) {
    }

    private record UncataloguedView(String spec, String section, Level level, String label, String problem,
                                    String probes) {
    }

    /**
     * {@code verdict} is empty and {@code badge} null where the clause never ran on the target; {@code title} lists
     * the probe runs behind the cell with their details (a known deviation's evidence, a failure's expected and actual).
     */
    private record Cell(String verdict, Badge badge, String title) {
    }

    private record FailureView(String section, String label, Level level, String probe, String displayName,
                               String target, Verdict verdict, Badge badge, String detail, String reproduce) {
    }

    /**
     * {@code css} selects the colour: v-pass green, v-reject teal, v-fail red, v-wedged purple, v-skip grey, v-should amber,
     * v-known dark orange.
     */
    private record Badge(String text, String css) {
        static Badge of(Verdict verdict, boolean enforced) {
            if (verdict == Verdict.KNOWN) {
                return new Badge("KNOWN DEVIATION", "v-known");
            }
            return verdict == Verdict.FAIL && !enforced
                    ? new Badge("FAIL (SHOULD)", "v-should")
                    : new Badge(verdict.name(), "v-" + verdict.name().toLowerCase(Locale.ROOT));
        }
    }

    private ConformanceHtml() {
    }

    public static void write(ConformanceMatrix matrix, Path file) throws IOException {
        Files.writeString(file, render(matrix));
    }

    public static String render(ConformanceMatrix matrix) {
        Mustache template = compile();
        StringWriter out = new StringWriter();
        template.execute(out, page(matrix));
        return out.toString();
    }

    private static Mustache compile() {
        // Read through this class's loader: the listener may run with a context loader that cannot see our resources.
        try (InputStream in = ConformanceHtml.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing template " + TEMPLATE);
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return new DefaultMustacheFactory().compile(reader, TEMPLATE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Longest detail of one probe run in a cell's tooltip; the failures section below the matrix has all of it. */
    private static final int MAX_TITLE_DETAIL = 1200;

    private static Page page(ConformanceMatrix matrix) {
        List<Total> totals = matrix.summary().entrySet().stream()
                .map(e -> new Total(Badge.of(e.getKey(), true), e.getValue()))
                .toList();
        List<UncataloguedClause> uncatalogued = matrix.uncatalogued() == null ? List.of() : matrix.uncatalogued();
        List<Row> rows = matrix.clauses().stream().map(c -> row(c, matrix, uncatalogued)).toList();
        List<FailureView> failures = matrix.failures().stream().map(ConformanceHtml::failure).toList();
        List<CoverageView> coverage = (matrix.coverage() == null ? List.<AreaCoverage>of() : matrix.coverage()).stream()
                .map(ConformanceHtml::coverage).toList();
        List<UncataloguedView> uncataloguedViews = uncatalogued.stream()
                .map(u -> new UncataloguedView(u.spec(), u.section(), u.level(), u.label(), u.problem(),
                        String.join(", ", u.probes())))
                .toList();
        String heading = uncatalogued.size() == 1 ? "1 probe clause is not in the clause catalogue"
                : uncatalogued.size() + " probe clauses are not in the clause catalogue";
        boolean merged = matrix.runs() != null;
        String title = merged ? "virtio-tck conformance report: " + matrix.runs().size() + " runs merged"
                : "virtio-tck conformance report";
        return new Page(title, matrix.generated(), matrix.strict(), totals, merged, runs(matrix), columns(matrix), rows,
                failures, coverage, runCoverage(matrix), !uncataloguedViews.isEmpty(), uncataloguedViews, heading);
    }

    private static List<RunView> runs(ConformanceMatrix matrix) {
        if (matrix.runs() == null) {
            return List.of();
        }
        return matrix.runs().stream().map(r -> new RunView(r.label(), r.columns().size(),
                r.source() + " (generated " + r.generated() + (r.strict() ? ", strict" : "") + ")")).toList();
    }

    /** A single run's columns show the whole target, as they always did; a merged run's only what sets them apart. */
    private static List<ColumnView> columns(ConformanceMatrix matrix) {
        if (matrix.runs() == null) {
            return matrix.targets().stream().map(t -> new ColumnView(t, t)).toList();
        }
        List<ColumnView> columns = new ArrayList<>();
        for (MergedRun run : matrix.runs()) {
            List<String> labels = TargetLabels.columnLabels(run.targets());
            for (int i = 0; i < run.columns().size(); i++) {
                columns.add(new ColumnView(labels.get(i), run.targets().get(i)));
            }
        }
        return columns;
    }

    /** Rows in the order of the merged coverage (the catalogue's areas), a cell per run. */
    private static List<AreaRunsView> runCoverage(ConformanceMatrix matrix) {
        if (matrix.runs() == null || matrix.coverage() == null) {
            return List.of();
        }
        return matrix.coverage().stream().map(area -> new AreaRunsView(area.area(), area.title(),
                matrix.runs().stream().map(run -> run.coverage().stream()
                        .filter(c -> c.area().equals(area.area())).findFirst()
                        .map(c -> new RunCoverageCell(run.label(), c.covered() + " of " + c.catalogued(),
                                c.mustCovered() + " of " + c.mustCatalogued() + " MUST", percent(c.covered(), c.catalogued())))
                        .orElse(new RunCoverageCell(run.label(), "not counted", "", 0)))
                        .toList()))
                .toList();
    }

    private static CoverageView coverage(AreaCoverage area) {
        List<UncoveredView> uncovered = area.uncovered().stream()
                .map(c -> new UncoveredView(c.section(), c.level(), "lvl-" + c.level().name().toLowerCase(Locale.ROOT),
                        c.label(), c.note() == null ? "" : c.note()))
                .toList();
        return new CoverageView(area.area(), area.title(), area.catalogued(), area.covered(), area.mustCatalogued(),
                area.mustCovered(), percent(area.covered(), area.catalogued()),
                percent(area.mustCovered(), area.mustCatalogued()), !uncovered.isEmpty(), uncovered);
    }

    private static int percent(int part, int whole) {
        return whole == 0 ? 100 : (int) Math.round(100.0 * part / whole);
    }

    private static Row row(ClauseRow clause, ConformanceMatrix matrix, List<UncataloguedClause> uncatalogued) {
        List<Cell> cells = matrix.targets().stream().map(target -> {
            Verdict verdict = clause.cells().get(target);
            return verdict == null
                    ? new Cell("", null, "")
                    : new Cell(verdict.name(), Badge.of(verdict, clause.enforces(verdict, matrix.strictFor(target))),
                    cellTitle(clause, target));
        }).toList();
        boolean notCatalogued = uncatalogued.stream().anyMatch(u -> u.spec().equals(clause.spec())
                && u.section().equals(clause.section()) && u.label().equals(clause.label()));
        return new Row(clause.spec(), clause.section(), clause.label(), clause.level(), clause.verdict(), cells,
                notCatalogued);
    }

    /** One paragraph per probe run of the cell: "VERDICT probe", then its detail (cut to a tooltip's size). */
    private static String cellTitle(ClauseRow clause, String target) {
        return clause.probes().stream().filter(p -> target.equals(p.target()))
                .map(p -> p.verdict() + " " + p.probe() + (p.detail() == null ? "" : ": " + cut(p.detail())))
                .collect(Collectors.joining("\n\n"));
    }

    private static String cut(String detail) {
        return detail.length() <= MAX_TITLE_DETAIL ? detail : detail.substring(0, MAX_TITLE_DETAIL) + " …";
    }

    private static FailureView failure(Failure failure) {
        ClauseRow clause = failure.clause();
        ProbeRun run = failure.run();
        return new FailureView(clause.section(), clause.label(), clause.level(), run.probe(), run.displayName(),
                run.target(), run.verdict(), Badge.of(run.verdict(), failure.enforced()), run.detail(), run.reproduce());
    }
}
