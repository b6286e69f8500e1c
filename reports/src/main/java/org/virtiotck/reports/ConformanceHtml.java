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
import java.util.List;
import java.util.Locale;

/**
 * Renders conformance.html from the conformance.mustache template. Mustache is logic-less, so every choice the page
 * shows (badge text, colour class) is made here into small view records; the template only lays them out and
 * escapes them.
 */
public final class ConformanceHtml {
    private static final String TEMPLATE = "conformance.mustache";

    private record Page(String generated, boolean strict, List<Total> totals, List<String> targets, List<Row> rows,
                        List<FailureView> failures, List<CoverageView> coverage, boolean hasUncatalogued,
                        List<UncataloguedView> uncatalogued, String uncataloguedHeading) {
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

    /** {@code verdict} is empty and {@code badge} null where the clause never ran on the target. */
    private record Cell(String verdict, Badge badge) {
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
        return new Page(matrix.generated(), matrix.strict(), totals, matrix.targets(), rows, failures, coverage,
                !uncataloguedViews.isEmpty(), uncataloguedViews, heading);
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
                    ? new Cell("", null)
                    : new Cell(verdict.name(), Badge.of(verdict, clause.enforces(verdict, matrix.strict())));
        }).toList();
        boolean notCatalogued = uncatalogued.stream().anyMatch(u -> u.spec().equals(clause.spec())
                && u.section().equals(clause.section()) && u.label().equals(clause.label()));
        return new Row(clause.spec(), clause.section(), clause.label(), clause.level(), clause.verdict(), cells,
                notCatalogued);
    }

    private static FailureView failure(Failure failure) {
        ClauseRow clause = failure.clause();
        ProbeRun run = failure.run();
        return new FailureView(clause.section(), clause.label(), clause.level(), run.probe(), run.displayName(),
                run.target(), run.verdict(), Badge.of(run.verdict(), failure.enforced()), run.detail(), run.reproduce());
    }
}
