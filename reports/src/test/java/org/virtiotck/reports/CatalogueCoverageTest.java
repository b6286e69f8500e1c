package org.virtiotck.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Coverage figures of a run against a small catalogue: in the matrix, its JSON, the HTML page and the console. */
class CatalogueCoverageTest {
    private static final Instant NOW = Instant.parse("2025-01-02T03:04:05Z");

    /** core: 5 clauses, 3 of them MUST; blk: 2 clauses, both MUST. */
    private static final ClauseCatalogue CATALOGUE = ClauseCatalogue.parse(List.of(
            new ClauseCatalogue.Source("core.json", """
                    {"area": "core", "title": "Basic facilities", "spec": "1.2", "clauses": [
                      {"section": "2.7.8.2", "level": "MUST", "label": "used len not above written"},
                      {"section": "2.1.2", "level": "MUST", "label": "nothing consumed before DRIVER_OK"},
                      {"section": "2.2.2", "level": "SHOULD", "label": "accepts <valid> subsets"},
                      {"section": "2.10.2", "level": "MUST", "label": "no control through shared memory", "note": "only with shared memory"},
                      {"section": "2.8.15", "level": "SHOULD", "label": "no read of writable"}
                    ]}"""),
            new ClauseCatalogue.Source("blk.json", """
                    {"area": "blk", "title": "Block device", "spec": "1.2", "clauses": [
                      {"section": "5.2.6", "level": "MUST", "label": "unknown type is UNSUPP"},
                      {"section": "5.2.5.2", "level": "MUST", "label": "padding reads 0"}
                    ]}""")));

    private static ProbeResult result(String section, String label, Level level, String probe, String target, Verdict verdict) {
        return new ProbeResult(new ClauseKey("1.2", section, label, level), new ProbeRun(probe, probe, target, verdict, null, null));
    }

    /**
     * Covers core 2.7.8.2 (PASS and FAIL) and 2.1.2 (SKIP only: still covered) and 2.2.2 (declared MUST, catalogued
     * SHOULD: covered, and reported as a level mismatch); one clause is not catalogued at all. blk: nothing.
     */
    private static ConformanceMatrix matrix() {
        return ConformanceMatrix.from(List.of(
                result("2.7.8.2", "used len not above written", Level.MUST, "UsedRingProbes#usedLenOfIn", "a", Verdict.PASS),
                result("2.7.8.2", "used len not above written", Level.MUST, "UsedRingProbes#usedLenOfOut", "b", Verdict.FAIL),
                result("2.1.2", "nothing consumed before DRIVER_OK", Level.MUST, "StatusProbes#early", "a", Verdict.SKIP),
                result("2.2.2", "accepts <valid> subsets", Level.MUST, "FeatureProbes#subsets", "a", Verdict.PASS),
                result("2.7.5.1", "device writes <nothing> odd", Level.MUST, "DescriptorTableProbes#odd", "a", Verdict.PASS),
                result("2.7.5.1", "device writes <nothing> odd", Level.MUST, "DescriptorTableProbes#odd", "b", Verdict.PASS),
                result("2.7.5.1", "device writes <nothing> odd", Level.MUST, "DescriptorTableProbes#odder", "b", Verdict.PASS)),
                false, NOW, CATALOGUE);
    }

    @Test
    void areaFiguresCountClausesWithAnyVerdictIncludingSkip() {
        List<AreaCoverage> coverage = matrix().coverage();
        assertEquals(List.of("core", "blk"), coverage.stream().map(AreaCoverage::area).toList());

        AreaCoverage core = coverage.get(0);
        assertEquals("Basic facilities", core.title());
        assertEquals(5, core.catalogued());
        assertEquals(3, core.covered());
        assertEquals(3, core.mustCatalogued());
        assertEquals(2, core.mustCovered());
        // Uncovered in spec order: 2.8.15 before 2.10.2.
        assertEquals(List.of(new CatalogueClause("2.8.15", Level.SHOULD, "no read of writable", null),
                new CatalogueClause("2.10.2", Level.MUST, "no control through shared memory", "only with shared memory")),
                core.uncovered());

        AreaCoverage blk = coverage.get(1);
        assertEquals(List.of(2, 0, 2, 0), List.of(blk.catalogued(), blk.covered(), blk.mustCatalogued(), blk.mustCovered()));
        assertEquals(List.of("5.2.5.2", "5.2.6"), blk.uncovered().stream().map(CatalogueClause::section).toList());
    }

    @Test
    void declaredClausesTheCatalogueLacksOrLevelsDifferentlyAreListedOnceWithTheirProbes() {
        assertEquals(List.of(
                new UncataloguedClause("1.2", "2.2.2", "accepts <valid> subsets", Level.MUST,
                        "the catalogue lists it as SHOULD, the probe declares MUST", List.of("FeatureProbes#subsets")),
                new UncataloguedClause("1.2", "2.7.5.1", "device writes <nothing> odd", Level.MUST,
                        "not in the clause catalogue", List.of("DescriptorTableProbes#odd", "DescriptorTableProbes#odder"))),
                matrix().uncatalogued());
    }

    @Test
    void anEmptyCatalogueGivesNoCoverageAndChecksNothing() {
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                result("2.7.5.1", "x", Level.MUST, "P#m", "a", Verdict.PASS)), false, NOW, ClauseCatalogue.EMPTY);
        assertEquals(List.of(), matrix.coverage());
        assertEquals(List.of(), matrix.uncatalogued());
    }

    @Test
    void jsonCarriesTheNumbersAndReadsBack(@TempDir Path dir) throws IOException {
        ConformanceMatrix matrix = matrix();
        Path file = dir.resolve("conformance.json");
        ConformanceJson.write(matrix, file);
        assertEquals(matrix, ConformanceJson.read(file));

        JsonNode core = new ObjectMapper().readTree(file.toFile()).get("coverage").get(0);
        assertEquals("core", core.get("area").asText());
        assertEquals(5, core.get("catalogued").asInt());
        assertEquals(3, core.get("covered").asInt());
        assertEquals(3, core.get("mustCatalogued").asInt());
        assertEquals(2, core.get("mustCovered").asInt());
        assertEquals("2.8.15", core.get("uncovered").get(0).get("section").asText());
        assertEquals("SHOULD", core.get("uncovered").get(0).get("level").asText());
        assertFalse(core.get("uncovered").get(0).has("note"), "no null note");
        assertEquals("only with shared memory", core.get("uncovered").get(1).get("note").asText());
    }

    @Test
    void htmlShowsAPerAreaLineWithItsCollapsibleUncoveredList() {
        String html = ConformanceHtml.render(matrix());

        List<String> areas = matches(html, "<details class=\"coverage\" data-area=\"([^\"]*)\">.*?</details>", 0);
        assertEquals(2, areas.size());
        String core = areas.get(0);
        assertTrue(core.contains("<span class=\"area\">core</span> <span class=\"area-title\">Basic facilities</span>"), core);
        assertTrue(core.contains(">3 of 5 catalogued clauses covered</span>"), core);
        assertTrue(core.contains(">2 of 3 MUST clauses</span>"), core);
        assertTrue(core.contains("style=\"width: 60%\""), core);
        assertEquals(List.of("2.8.15", "2.10.2"), matches(core, "<tr class=\"uncovered-clause\" data-section=\"([^\"]*)\"", 1));
        assertTrue(core.contains("<td class=\"section\">2.10.2</td><td class=\"level lvl-must\">MUST</td>"
                + "<td class=\"label\">no control through shared memory</td><td class=\"note\">only with shared memory</td>"), core);
        assertTrue(core.contains("<td class=\"note\"></td>"), "a clause without note has an empty note cell");

        String blk = areas.get(1);
        assertTrue(blk.contains(">0 of 2 catalogued clauses covered</span>"), blk);
        assertTrue(blk.contains(">0 of 2 MUST clauses</span>"), blk);

        // The verdict table is still there, after the coverage.
        assertTrue(html.indexOf("<h2>Catalogue coverage</h2>") < html.indexOf("<h2>Verdicts</h2>"));
        assertEquals(4, matches(html, "<tr class=\"clause\"", 0).size());
    }

    @Test
    void htmlShowsUncataloguedClausesFirstAndFlagsTheirRows() {
        String html = ConformanceHtml.render(matrix());

        int box = html.indexOf("<div class=\"uncatalogued\" id=\"uncatalogued\">");
        assertTrue(box > 0 && box < html.indexOf("<h2>Catalogue coverage</h2>"), "error box before everything else");
        assertTrue(html.contains("<h2>2 probe clauses are not in the clause catalogue</h2>"));
        assertTrue(html.contains("<td class=\"label\">device writes &lt;nothing&gt; odd</td><td class=\"problem\">not in the clause catalogue</td>"
                + "<td><code>DescriptorTableProbes#odd, DescriptorTableProbes#odder</code></td>"), html);
        assertTrue(html.contains("the catalogue lists it as SHOULD, the probe declares MUST"));

        List<String> flagged = new ArrayList<>();
        for (String row : matches(html, "<tr class=\"clause\".*?</tr>", 0)) {
            if (row.contains("not catalogued</a>")) {
                flagged.add(first(row, "data-section=\"([^\"]*)\""));
            }
        }
        assertEquals(List.of("2.2.2", "2.7.5.1"), flagged);
    }

    @Test
    void htmlHasNoErrorBoxWhenEveryClauseIsCatalogued() {
        String html = ConformanceHtml.render(ConformanceMatrix.from(List.of(
                result("5.2.6", "unknown type is UNSUPP", Level.MUST, "P#m", "a", Verdict.PASS)), false, NOW, CATALOGUE));
        assertFalse(html.contains("class=\"uncatalogued\""));
        assertFalse(html.contains("not catalogued</a>"));
        assertTrue(html.contains(">1 of 2 catalogued clauses covered</span>"));
    }

    @Test
    void consolePrintsOneCoverageLineAndEachUncataloguedClause() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSummary.print(matrix(), Path.of("r.html"), Path.of("r.json"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals("catalogue coverage: core 3/5 (MUST 2/3), blk 0/2 (MUST 0/2)", lines.get(2));
        int error = lines.indexOf("ERROR: 2 probe clauses are not in the clause catalogue (reports/src/main/resources/virtio-tck/catalogue/):");
        assertTrue(error > 2, String.join("\n", lines));
        assertEquals("  2.2.2 [MUST] accepts <valid> subsets — the catalogue lists it as SHOULD, the probe declares MUST — FeatureProbes#subsets",
                lines.get(error + 1));
        assertEquals("  2.7.5.1 [MUST] device writes <nothing> odd — not in the clause catalogue — DescriptorTableProbes#odd, DescriptorTableProbes#odder",
                lines.get(error + 2));
    }

    private static List<String> matches(String text, String regex, int group) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(group));
        }
        return found;
    }

    private static String first(String text, String regex) {
        return matches(text, regex, 1).get(0);
    }
}
