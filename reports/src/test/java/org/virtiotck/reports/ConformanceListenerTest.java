package org.virtiotck.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.reports.SampleTargets.MMIO;
import static org.virtiotck.reports.SampleTargets.PCI;

/**
 * Runs the sample probe classes through a real JUnit Platform launcher. The listener under test is the one the
 * launcher auto-registers from META-INF/services, so these tests also cover the registration.
 */
class ConformanceListenerTest {
    private static final String UNKNOWN = ConformanceListener.UNKNOWN_TARGET;

    @TempDir
    Path temp;
    private Path out;
    private String savedOut;
    private String savedStrict;

    @BeforeEach
    void pointReportAtTempDir() {
        savedOut = System.getProperty(ReportSettings.OUT_PROPERTY);
        savedStrict = System.getProperty(ReportSettings.STRICT_PROPERTY);
        // A directory that does not exist yet, so the listener has to create it.
        out = temp.resolve("report");
        System.setProperty(ReportSettings.OUT_PROPERTY, out.toString());
        System.clearProperty(ReportSettings.STRICT_PROPERTY);
    }

    @AfterEach
    void restoreProperties() {
        restore(ReportSettings.OUT_PROPERTY, savedOut);
        restore(ReportSettings.STRICT_PROPERTY, savedStrict);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    /** Runs the classes in a fresh launcher and returns what was printed to System.out meanwhile. */
    private static String run(Class<?>... classes) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(Arrays.stream(classes).map(DiscoverySelectors::selectClass).toList())
                    .build());
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private ConformanceMatrix json() throws IOException {
        return ConformanceJson.read(out.resolve(ConformanceReport.JSON_FILE));
    }

    private String html() throws IOException {
        return Files.readString(out.resolve(ConformanceReport.HTML_FILE));
    }

    private static ClauseRow row(ConformanceMatrix matrix, String section, String label) {
        return matrix.clauses().stream()
                .filter(c -> c.section().equals(section) && c.label().equals(label))
                .findFirst().orElseThrow(() -> new AssertionError("no clause " + section + " " + label));
    }

    private static ProbeRun probe(ClauseRow row, String probe, String target) {
        return row.probes().stream()
                .filter(p -> p.probe().equals(probe) && p.target().equals(target))
                .findFirst().orElseThrow(() -> new AssertionError("no run " + probe + " on " + target));
    }

    @Test
    void jsonHoldsTargetsSummaryAndClausesInSectionOrder() throws IOException {
        run(SampleProbes.class);
        ConformanceMatrix matrix = json();

        assertEquals("virtio-tck", matrix.tool());
        assertFalse(matrix.strict());
        assertEquals(List.of(MMIO, PCI), matrix.targets());
        assertEquals(Map.of(Verdict.PASS, 7, Verdict.REJECT, 0, Verdict.FAIL, 2, Verdict.WEDGED, 1, Verdict.KNOWN, 0,
                Verdict.SKIP, 1), matrix.summary());
        // 2.7.8.1 before 2.10: sections compare numerically; the two 2.10 clauses by label.
        assertEquals(List.of("2.7", "2.7.8.1", "2.10", "2.10", "3.1.1"),
                matrix.clauses().stream().map(ClauseRow::section).toList());
        assertEquals(List.of("Descriptor table is 16-byte aligned", "Queue size is a power of 2"),
                matrix.clauses().subList(2, 4).stream().map(ClauseRow::label).toList());
        assertTrue(matrix.clauses().stream().flatMap(c -> c.probes().stream())
                .noneMatch(p -> p.probe().equals("SampleProbes#helperCheck")), "tests without @Clause are not probes");
    }

    @Test
    void probeRunsCarryPublishedOrDerivedVerdictAndDetail() throws IOException {
        run(SampleProbes.class);
        ConformanceMatrix matrix = json();
        ClauseRow readOnly = row(matrix, "2.7.8.1", SampleProbes.READ_ONLY_LABEL);
        ClauseRow reset = row(matrix, "3.1.1", "Device should finish a reset within 1 s");

        ProbeRun failed = probe(readOnly, "SampleProbes#readOnlyDescriptor", MMIO);
        ProbeRun wedged = probe(readOnly, "SampleProbes#readOnlyIndirectDescriptor", PCI);
        ProbeRun passed = probe(readOnly, "SampleProbes#readOnlyDescriptor", PCI);
        ProbeRun publishedFail = probe(reset, "SampleProbes#resetTime", MMIO);
        ProbeRun aborted = probe(reset, "SampleProbes#resetTime", PCI);
        assertAll(
                () -> assertEquals(Verdict.FAIL, failed.verdict()),
                () -> assertEquals("used.len for a read-only descriptor ==> expected: <0> but was: <1>", failed.detail()),
                () -> assertEquals("[1] " + MMIO, failed.displayName()),
                () -> assertEquals(SampleTargets.reproduce("SampleProbes#readOnlyDescriptor", MMIO), failed.reproduce()),
                () -> assertEquals(Verdict.WEDGED, wedged.verdict()),
                () -> assertEquals("no used buffer within 500 ms", wedged.detail()),
                () -> assertEquals(Verdict.PASS, passed.verdict()),
                () -> assertNull(passed.detail()),
                () -> assertEquals(Verdict.FAIL, publishedFail.verdict()),
                () -> assertEquals(SampleProbes.RESET_DETAIL, publishedFail.detail()),
                () -> assertEquals(Verdict.SKIP, aborted.verdict()),
                () -> assertEquals("device does not offer VIRTIO_F_RING_RESET", aborted.detail()));
    }

    @Test
    void cellTakesTheMostSevereVerdictOfItsRunsAndRowTheMostSevereCell() throws IOException {
        run(SampleProbes.class);
        ConformanceMatrix matrix = json();

        ClauseRow readOnly = row(matrix, "2.7.8.1", SampleProbes.READ_ONLY_LABEL);
        assertEquals(4, readOnly.probes().size());
        // Each target has one passing and one broken run of the clause; the broken one decides the cell.
        assertEquals(Map.of(MMIO, Verdict.FAIL, PCI, Verdict.WEDGED), readOnly.cells());
        assertEquals(Verdict.WEDGED, readOnly.verdict());

        ClauseRow reset = row(matrix, "3.1.1", "Device should finish a reset within 1 s");
        assertEquals(Level.SHOULD, reset.level());
        assertEquals(Map.of(MMIO, Verdict.FAIL, PCI, Verdict.SKIP), reset.cells());
        assertEquals(Verdict.FAIL, reset.verdict());

        // Never run on pci: no cell rather than a made-up verdict.
        assertEquals(Map.of(MMIO, Verdict.PASS), row(matrix, "2.7", "MMIO magic value reads 0x74726976").cells());
    }

    @Test
    void jsonFieldsComeInAStableOrderAndNullsAreOmitted() throws IOException {
        run(SampleProbes.class);
        JsonNode root = new ObjectMapper().readTree(out.resolve(ConformanceReport.JSON_FILE).toFile());

        assertEquals(List.of("tool", "generated", "strict", "targets", "summary", "coverage", "uncatalogued", "clauses"),
                names(root));
        assertEquals(List.of("area", "title", "catalogued", "covered", "mustCatalogued", "mustCovered", "uncovered"),
                names(root.get("coverage").get(0)));
        assertEquals(List.of("section", "level", "label", "note"), names(root.get("coverage").get(0).get("uncovered").get(0)));
        assertEquals(List.of("spec", "section", "label", "level", "problem", "probes"), names(root.get("uncatalogued").get(0)));
        assertEquals(List.of("PASS", "REJECT", "FAIL", "WEDGED", "KNOWN", "SKIP"), names(root.get("summary")));
        assertTrue(root.get("generated").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        JsonNode clause = root.get("clauses").get(1);
        assertEquals(List.of("spec", "section", "label", "level", "verdict", "cells", "probes"), names(clause));
        assertEquals(List.of(MMIO, PCI), names(clause.get("cells")));
        for (JsonNode probe : clause.get("probes")) {
            List<String> expected = new ArrayList<>(List.of("probe", "displayName", "target", "verdict", "detail", "reproduce"));
            if (probe.get("verdict").asText().equals("PASS")) {
                expected.remove("detail");
            }
            assertEquals(expected, names(probe));
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void htmlHasOneRowPerClauseWithEscapedTextAndAVerdictPerCell() throws IOException {
        run(SampleProbes.class);
        String html = html();

        List<String> rows = matches(html, "<tr class=\"clause\".*?</tr>");
        assertEquals(5, rows.size());
        for (String row : rows) {
            assertEquals(2, matches(row, "<td class=\"cell\" data-verdict=").size(), row);
        }
        assertTrue(html.contains("&lt;b&gt;read-only&lt;/b&gt;"));
        assertFalse(html.contains("<b>read-only</b>"));

        Map<String, List<String>> cellsBySection = new LinkedHashMap<>();
        for (String row : rows) {
            cellsBySection.put(first(row, "data-section=\"([^\"]*)\""), matches(row, "data-verdict=\"([^\"]*)\"", 1));
        }
        // The first data-verdict of a row is the row's own; the rest are its cells in target order.
        assertEquals(List.of("PASS", "PASS", ""), cellsBySection.get("2.7"));
        assertEquals(List.of("WEDGED", "FAIL", "WEDGED"), cellsBySection.get("2.7.8.1"));
        assertEquals(List.of("FAIL", "FAIL", "SKIP"), cellsBySection.get("3.1.1"));
        assertTrue(rows.get(4).contains("<span class=\"badge v-should\">FAIL (SHOULD)</span>"), "non-enforced SHOULD fail is amber");
        assertTrue(rows.get(1).contains("<span class=\"badge v-fail\">FAIL</span>"));
        assertTrue(rows.get(1).contains("<span class=\"badge v-wedged\">WEDGED</span>"));
        assertTrue(html.contains("<span class=\"badge v-reject\" data-verdict=\"REJECT\">REJECT</span>"),
                "every verdict has a total, REJECT in its own colour");
        assertTrue(html.contains(".v-reject {"), "REJECT has a colour");

        String failures = html.substring(html.indexOf("<h2>Failures and known deviations</h2>"));
        assertEquals(List.of("FAIL", "WEDGED", "FAIL"), matches(failures, "<div class=\"failure\" data-verdict=\"([^\"]*)\"", 1));
        assertTrue(failures.contains("<pre>no used buffer within 500 ms</pre>"));
        assertTrue(failures.contains("<code>mvn verify -pl device-probes -Dit.test&#61;SampleProbes#readOnlyDescriptor"));
        // Self-contained: the one script is inline, nothing is loaded from elsewhere.
        assertFalse(html.contains("<link") || html.contains("src=\"") || html.contains("url("), "self-contained");
    }

    private static List<String> matches(String text, String regex) {
        return matches(text, regex, 0);
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

    @Test
    void consoleSummaryFitsOneScreen() {
        String console = run(SampleProbes.class);
        List<String> lines = console.lines().toList();

        assertEquals("virtio-tck: 11 probe runs over 5 clauses against " + MMIO + ", " + PCI, lines.get(0));
        assertEquals("PASS 7  REJECT 0  FAIL 2  WEDGED 1  KNOWN 0  SKIP 1", lines.get(1));
        assertTrue(lines.contains("  FAIL    2.7.8.1 [MUST] " + SampleProbes.READ_ONLY_LABEL
                + " — SampleProbes#readOnlyDescriptor [" + MMIO + "]"), console);
        assertTrue(lines.contains("  WEDGED  2.7.8.1 [MUST] " + SampleProbes.READ_ONLY_LABEL
                + " — SampleProbes#readOnlyIndirectDescriptor [" + PCI + "]"), console);
        assertTrue(lines.contains("    reproduce: " + SampleTargets.reproduce("SampleProbes#readOnlyDescriptor", MMIO)), console);

        int reset = lines.indexOf("  FAIL(SHOULD, not enforced) 3.1.1 [SHOULD] Device should finish a reset within 1 s"
                + " — SampleProbes#resetTime [" + MMIO + "]");
        assertTrue(reset > 0, console);
        // Six non-blank detail lines: three shown, then a pointer to the rest.
        assertEquals(List.of(
                "    expected: reset to complete within 1000 ms",
                "    actual: device status still 0x0f after 1000 ms",
                "    status reads: 0x0f 0x0f 0x0f",
                "    ... 3 more lines in the HTML report"), lines.subList(reset + 1, reset + 5));

        assertEquals("virtio-tck report: " + out.resolve(ConformanceReport.HTML_FILE).toAbsolutePath(), lines.get(lines.size() - 2));
        assertEquals("virtio-tck json:   " + out.resolve(ConformanceReport.JSON_FILE).toAbsolutePath(), lines.get(lines.size() - 1));
    }

    @Test
    void probeClausesMissingFromTheCatalogueAreReportedEverywhere() throws IOException {
        String console = run(SampleProbes.class);
        ConformanceMatrix matrix = json();

        // The sample clauses are made up, so none is catalogued; each distinct clause is listed once with its probes.
        assertEquals(List.of("2.7", "2.7.8.1", "2.10", "2.10", "3.1.1"),
                matrix.uncatalogued().stream().map(UncataloguedClause::section).toList());
        UncataloguedClause readOnly = matrix.uncatalogued().get(1);
        assertEquals(List.of("SampleProbes#readOnlyDescriptor", "SampleProbes#readOnlyIndirectDescriptor"), readOnly.probes());
        assertEquals("not in the clause catalogue", readOnly.problem());
        // Coverage is still reported for every area of the standard catalogue, and none is covered by these samples.
        assertEquals(ClauseCatalogue.AREAS, matrix.coverage().stream().map(AreaCoverage::area).toList());
        assertTrue(matrix.coverage().stream().allMatch(a -> a.covered() == 0 && a.catalogued() > 0));

        assertTrue(console.contains("ERROR: 5 probe clauses are not in the clause catalogue"), console);
        assertTrue(console.contains("  2.7 [MUST] MMIO magic value reads 0x74726976 — not in the clause catalogue"
                + " — SampleProbes#magicValue"), console);
        assertTrue(console.lines().anyMatch(l -> l.startsWith("catalogue coverage: core 0/")), console);

        String html = html();
        assertTrue(html.contains("<h2>5 probe clauses are not in the clause catalogue</h2>"));
        assertEquals(5, matches(html, "<tr class=\"uncatalogued-clause\"").size());
        assertEquals(5, matches(html, "<a class=\"badge v-error\" href=\"#uncatalogued\">not catalogued</a>").size());
    }

    @Test
    void strictModeEnforcesShouldClauses() throws IOException {
        System.setProperty(ReportSettings.STRICT_PROPERTY, "");
        String console = run(SampleProbes.class);

        assertTrue(json().strict());
        assertFalse(html().contains("FAIL (SHOULD)"));
        assertFalse(console.contains("not enforced"));
        assertTrue(console.contains("  FAIL    3.1.1 [SHOULD] Device should finish a reset within 1 s"), console);
    }

    @Test
    void probesThatNeverReachATargetAreReportedAgainstUnknown() throws IOException {
        run(UnrunnableProbes.class, DisabledProbeClass.class);
        ConformanceMatrix matrix = json();

        assertEquals(List.of(UNKNOWN), matrix.targets());
        assertEquals(List.of("5.2.5", "5.2.6", "5.3.5", "5.3.6"), matrix.clauses().stream().map(ClauseRow::section).toList());
        ProbeRun broken = matrix.clauses().get(0).probes().get(0);
        assertEquals(Verdict.FAIL, broken.verdict());
        assertTrue(broken.detail().contains("TestTemplateInvocationContextProvider"), broken.detail());
        ProbeRun disabled = matrix.clauses().get(1).probes().get(0);
        assertEquals(new ProbeRun("UnrunnableProbes#readOnlyDevice", "readOnlyDevice(String)", UNKNOWN, Verdict.SKIP,
                UnrunnableProbes.DISABLED_REASON, null), disabled);
        for (ClauseRow row : matrix.clauses().subList(2, 4)) {
            assertEquals(Verdict.SKIP, row.verdict());
            assertEquals(DisabledProbeClass.REASON, row.probes().get(0).detail());
        }
    }

    @Test
    void nothingIsWrittenOrPrintedWhenNoProbeRan() {
        String console = run(PlainSample.class);

        assertFalse(Files.exists(out));
        assertEquals("", console);
    }
}
