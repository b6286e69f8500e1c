package org.virtiotck.probes.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.harness.junit.ProbeExtension;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.reports.ClauseRow;
import org.virtiotck.reports.ConformanceListener;
import org.virtiotck.reports.ConformanceMatrix;
import org.virtiotck.reports.ConformanceReport;
import org.virtiotck.reports.Level;
import org.virtiotck.reports.MergeMatrices;
import org.virtiotck.reports.ReportSettings;
import org.virtiotck.reports.Verdict;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The merged report as a browser shows it. Three real runs of a few probe classes, through the JUnit Platform
 * launcher and the report listener: the reference blk device, a blk device whose used lengths are one too many
 * (FAIL, and KNOWN where a known-deviation list explains it), and one that goes away at its first notification
 * (WEDGED). Their conformance.json files are merged, the page is opened in headless Chromium, and what it rendered is
 * checked against the merged JSON: rows, columns, the computed colour of every verdict's badge, and the FAIL/WEDGED
 * filter. The screenshot is kept in target/screenshots/conformance.png.
 *
 * <p>Without chromium (Debian package chromium) the test is skipped, and fails under CI=true.
 */
class MergedReportBrowserTest {
    private static final List<String> PROBE_CLASSES = List.of("blk.BlkIoProbes", "ring.UsedRingProbes",
            "net.AnnounceProbes");
    private static final String EVIDENCE = "used len of GET_ID one more than the 20 bytes written, planted on purpose";
    private static final Path SCREENSHOT = Path.of("target", "screenshots", "conformance.png");
    private static final int WIDTH = 1500;
    private static final int HEIGHT = 2200;

    /** The page's palette (conformance.mustache) as getComputedStyle reports it; "none" is a cell without a badge. */
    private static final Map<String, String> COLOURS = Map.of(
            "v-pass", "rgb(26, 127, 55)", "v-fail", "rgb(207, 34, 46)", "v-wedged", "rgb(130, 80, 223)",
            "v-known", "rgb(188, 76, 0)", "v-skip", "rgb(140, 149, 159)", "v-reject", "rgb(14, 116, 144)",
            "v-should", "rgb(212, 167, 44)", "none", "rgba(0, 0, 0, 0)");

    @TempDir
    static Path dir;
    private static ConformanceMatrix merged;
    private static Path page;

    @BeforeAll
    static void mergeThreeRealRuns() throws IOException {
        Path known = Files.writeString(dir.resolve("known.json"), """
                {"backend": "faulty blk 1.0", "deviations": [
                  {"probe": "BlkIoProbes#getIdIsNulPaddedAscii", "clause": "§5.2.6 GET_ID", "evidence": "%s"}]}
                """.formatted(EVIDENCE));
        Path reference = run("reference", "inproc:blk?transport=mmio", "");
        Path faulty = run("faulty", "inproc:faulty-blk-used-len-plus-one?transport=mmio&ring=split&timeout=300ms",
                known.toString());
        Path dies = run("dies", "inproc:faulty-blk-dies-at-first-notify?transport=mmio&ring=split&timeout=300ms", "");
        Path out = dir.resolve("merged");
        merged = MergeMatrices.run(new String[]{"-o", out.toString(), reference.toString(), "used-len=" + faulty,
                "dies=" + dies}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        page = out.resolve(ConformanceReport.HTML_FILE);
    }

    /** One run of the probe classes against a target, its report written by a listener of its own. */
    private static Path run(String name, String target, String knownDeviations) {
        Path out = dir.resolve(name);
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                        .addTestExecutionListeners(new ConformanceListener(new ReportSettings(out, false))).build())
                .execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(PROBE_CLASSES.stream().map(c -> selectClass("org.virtiotck.probes." + c)).toList())
                        .configurationParameter(ProbeExtension.TARGET_PARAMETER, target)
                        .configurationParameter(KnownDeviations.PARAMETER, knownDeviations)
                        .build());
        return out.resolve(ConformanceReport.JSON_FILE);
    }

    private static HeadlessChromium chromium() {
        var found = HeadlessChromium.find();
        if (found.isEmpty()) {
            String missing = "chromium is not installed (Debian package " + HeadlessChromium.PACKAGE
                    + "; scripts/test installs it as root)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI is set and " + missing);
            }
            Assumptions.abort(missing + ": the merged report is not checked in a browser");
        }
        return found.get();
    }

    @Test
    void theRunsHoldEveryVerdictTheCheckNeeds() {
        Set<Verdict> seen = new HashSet<>();
        merged.clauses().forEach(c -> seen.addAll(c.cells().values()));
        assertTrue(seen.containsAll(List.of(Verdict.PASS, Verdict.FAIL, Verdict.WEDGED, Verdict.KNOWN, Verdict.SKIP)),
                "verdicts of the three runs: " + seen);
        assertEquals(List.of("inproc:blk", "used-len", "dies"), merged.runs().stream().map(r -> r.label()).toList());
    }

    @Test
    void thePageRendersTheMatrixInItsColoursAndFiltersToFailures() throws Exception {
        HeadlessChromium chromium = chromium();
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        chromium.screenshot(page, "", SCREENSHOT, WIDTH, HEIGHT);
        String dom = chromium.dumpDom(page, "#selftest", WIDTH, HEIGHT);
        Files.writeString(SCREENSHOT.resolveSibling("conformance-selftest.html"), dom);
        Matcher m = Pattern.compile("<pre id=\"selftest\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(m.find(), "the page's self-test wrote its result");
        JsonNode seen = new ObjectMapper().readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&"));

        BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
        assertEquals(List.of(WIDTH, HEIGHT), List.of(image.getWidth(), image.getHeight()));
        int tableTop = seen.get("tableTop").asInt();
        assertTrue(tableTop > 0 && tableTop < HEIGHT / 2, "the verdict table starts in the screenshot: " + tableTop);
        for (String badge : List.of("v-pass", "v-fail", "v-wedged", "v-known", "v-skip")) {
            assertTrue(hasColour(image, tableTop, COLOURS.get(badge)), badge + " badges show in the screenshot's table");
        }

        int rows = merged.clauses().size();
        int columns = merged.targets().size();
        assertEquals(columns, seen.get("columns").asInt(), "one column per target variant");
        assertEquals(3, seen.get("runs").asInt(), "one column group per run");
        assertEquals(List.of(3 + columns), ints(seen.get("cellsPerRow")), "section, clause, level, then a cell per column");
        assertEquals(rows, seen.get("unfiltered").get("count").asInt(), "one row per clause, all shown");

        Map<String, Integer> expected = new TreeMap<>();
        for (ClauseRow row : merged.clauses()) {
            for (String target : merged.targets()) {
                expected.merge(badge(row, row.cells().get(target), merged.strictFor(target)), 1, Integer::sum);
            }
        }
        Map<String, Integer> cells = new TreeMap<>();
        seen.get("cells").fields().forEachRemaining(e -> cells.put(e.getKey(), e.getValue().asInt()));
        assertEquals(expected, cells, "cells per badge");
        seen.get("colours").fields().forEachRemaining(e -> assertEquals(List.of(COLOURS.get(e.getKey())),
                texts(e.getValue()), "computed background of " + e.getKey()));

        long failing = merged.clauses().stream()
                .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.WEDGED).count();
        assertTrue(failing > 0 && failing < rows, failing + " failing of " + rows);
        assertEquals(failing, seen.get("filtered").get("count").asInt(), "the filter shows the FAIL/WEDGED rows only");
        assertTrue(Set.of("FAIL", "WEDGED").containsAll(texts(seen.get("filtered").get("verdicts"))));
        assertEquals(failing + " of " + rows + " clauses shown", seen.get("filteredText").asText());

        Matcher known = Pattern.compile("<td class=\"cell\" data-verdict=\"KNOWN\" title=\"([^\"]*)\"").matcher(dom);
        assertTrue(known.find(), "a KNOWN cell");
        assertTrue(known.group(1).contains("KNOWN BlkIoProbes#getIdIsNulPaddedAscii: known deviation of faulty blk 1.0"
                + " (§5.2.6 GET_ID): " + EVIDENCE), "the known deviation's evidence is its tooltip: " + known.group(1));
    }

    /** The badge class the page gives a cell, as {@code ConformanceHtml} chooses it. */
    private static String badge(ClauseRow row, Verdict verdict, boolean strict) {
        if (verdict == null) {
            return "none";
        }
        if (verdict == Verdict.FAIL && row.level() == Level.SHOULD && !strict) {
            return "v-should";
        }
        return "v-" + verdict.name().toLowerCase();
    }

    /** Whether some pixel at or below row {@code top} has exactly that colour. */
    private static boolean hasColour(BufferedImage image, int top, String css) {
        Matcher rgb = Pattern.compile("rgb\\((\\d+), (\\d+), (\\d+)\\)").matcher(css);
        assertTrue(rgb.matches(), css);
        int wanted = (Integer.parseInt(rgb.group(1)) << 16) | (Integer.parseInt(rgb.group(2)) << 8)
                | Integer.parseInt(rgb.group(3));
        for (int y = top; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == wanted) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Integer> ints(JsonNode array) {
        return texts(array).stream().map(Integer::parseInt).toList();
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
