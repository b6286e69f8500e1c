package org.virtiotck.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merge command line: inputs named with and without alias, the files it writes, the page's merged header and
 * tooltips, and one clear line for every input it cannot use.
 */
class MergeMatricesTest {
    private static final String EVIDENCE = "bytes 15-19 left <unwritten>";

    @TempDir
    Path dir;

    /** The sample probes run through a real launcher and the listener, its report in a directory of its own. */
    private Path sampleRun() {
        Path out = dir.resolve("samples");
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                        .addTestExecutionListeners(new ConformanceListener(new ReportSettings(out, false))).build())
                .execute(LauncherDiscoveryRequestBuilder.request()
                        .selectors(DiscoverySelectors.selectClass(SampleProbes.class)).build());
        return out.resolve(ConformanceReport.JSON_FILE);
    }

    /** A back-end run with a known deviation and a pass. */
    private Path backendRun() throws IOException {
        String target = "vhost-user:/run/b.sock?device=blk&ring=split";
        ConformanceMatrix matrix = ConformanceMatrix.from(List.of(
                new ProbeResult(new ClauseKey("1.2", "5.2.6", "GET_ID is NUL-padded", Level.MUST), new ProbeRun(
                        "BlkIoProbes#getIdIsNulPaddedAscii", "getId", target, Verdict.KNOWN,
                        "known deviation of qsd 7.2 (§5.2.6): " + EVIDENCE + "\n  this run: FAIL ...", "mvn verify")),
                new ProbeResult(new ClauseKey("1.2", "2.10", "Queue size is a power of 2", Level.MUST), new ProbeRun(
                        "QueueProbes#size", "size", target, Verdict.PASS, null, null))),
                false, Instant.now());
        Path file = dir.resolve("qsd.json");
        ConformanceJson.write(matrix, file);
        return file;
    }

    private String merge(String... args) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MergeMatrices.run(args, new PrintStream(console, true, StandardCharsets.UTF_8));
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheMergedJsonAndPageWithColumnsGroupedByRun() throws IOException {
        Path out = dir.resolve("merged");
        String console = merge("-o", out.toString(), sampleRun().toString(), "qsd=" + backendRun());

        ConformanceMatrix merged = ConformanceJson.read(out.resolve(ConformanceReport.JSON_FILE));
        assertEquals(List.of("inproc:blk", "qsd"), merged.runs().stream().map(MergedRun::label).toList());
        assertEquals(List.of(SampleTargets.MMIO, SampleTargets.PCI, "vhost-user:/run/b.sock?device=blk&ring=split"),
                merged.targets());
        // The 2.10 power-of-2 clause ran in both: one row, three cells.
        assertEquals(3, merged.clauses().stream().filter(c -> c.label().equals("Queue size is a power of 2"))
                .findFirst().orElseThrow().cells().size());
        assertEquals(6, merged.clauses().size());
        assertTrue(console.startsWith("virtio-tck merge: 2 runs, 6 clauses, 3 target columns\n"), console);
        assertTrue(console.contains("virtio-tck merged report: " + out.resolve("conformance.html").toAbsolutePath()), console);

        String html = Files.readString(out.resolve(ConformanceReport.HTML_FILE));
        assertTrue(html.contains("<title>virtio-tck conformance report: 2 runs merged</title>"));
        assertEquals(List.of("inproc:blk|2", "qsd|1"), matches(html, "<th class=\"run\" colspan=\"(\\d+)\" title=\"[^\"]*\">([^<]*)</th>")
                .stream().map(m -> m.group(2) + "|" + m.group(1)).toList());
        assertEquals(List.of("mmio split", "pci packed", TargetLabels.AS_GIVEN),
                matches(html, "<th class=\"target\" title=\"[^\"]*\">([^<]*)</th>").stream().map(m -> m.group(1)).toList());
        assertEquals(6, matches(html, "<tr class=\"clause\"").size());
        // The known deviation's evidence is the cell's tooltip, escaped.
        assertTrue(html.contains("<td class=\"cell\" data-verdict=\"KNOWN\" title=\"KNOWN BlkIoProbes#getIdIsNulPaddedAscii: "
                + "known deviation of qsd 7.2 (§5.2.6): bytes 15-19 left &lt;unwritten&gt;"), html);
        assertTrue(html.contains("<input type=\"checkbox\" id=\"only-failing\">"));
        // Per run coverage: one row per catalogue area, one cell per run.
        assertEquals(ClauseCatalogue.AREAS.size(), matches(html, "<tr class=\"area-runs\"").size());
        assertEquals(2 * ClauseCatalogue.AREAS.size(), matches(html, "<td class=\"run-coverage\"").size());
    }

    @Test
    void aSingleRunsOwnPageKeepsItsFullTargetHeaders() throws IOException {
        String html = Files.readString(sampleRun().resolveSibling(ConformanceReport.HTML_FILE));
        assertEquals(List.of(SampleTargets.MMIO, SampleTargets.PCI), matches(html, "<th class=\"target\" title=\"[^\"]*\">([^<]*)</th>")
                .stream().map(m -> m.group(1).replace("&amp;", "&").replace("&#61;", "=")).toList());
        assertTrue(matches(html, "<th class=\"run\"").isEmpty());
    }

    @Test
    void everyUnusableInputIsOneLineNamingIt() throws IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.json"), "{\"tool\": \"virtio-tck\", \"targets\": [");
        Path other = Files.writeString(dir.resolve("other.json"), "{\"name\": \"some other report\"}");
        Path verdict = Files.writeString(dir.resolve("verdict.json"), Files.readString(backendRun()).replace("\"PASS\"", "\"GREAT\""));
        Path stray = Files.writeString(dir.resolve("stray.json"), Files.readString(backendRun())
                .replace("\"target\" : \"vhost-user:/run/b.sock?device=blk&ring=split\"", "\"target\" : \"elsewhere\""));
        Path missing = dir.resolve("missing.json");

        assertEquals(missing + ": no such file", failure(missing.toString()));
        assertTrue(failure(garbage.toString()).startsWith(garbage + ": not valid conformance.json: "), failure(garbage.toString()));
        assertEquals(other + ": not a conformance.json of virtio-tck (no \"tool\": \"virtio-tck\")", failure(other.toString()));
        assertTrue(failure(verdict.toString()).startsWith(verdict + ": not a conformance.json: \"GREAT\" is not one of SKIP, PASS,"),
                failure(verdict.toString()));
        assertTrue(failure("x=" + stray).startsWith(stray + ": §"), failure("x=" + stray));
        assertEquals(dir + ": is a directory, not a conformance.json", failure(dir.toString()));
        assertEquals("'x=': no file after the alias (alias=path/conformance.json)", failure("x="));
        assertTrue(failure().startsWith("no conformance.json named; usage: "));
        assertTrue(failure("--bogus").startsWith("unknown option --bogus; usage: "));
        for (String arg : List.of(missing.toString(), garbage.toString(), verdict.toString())) {
            assertEquals(1, failure(arg).lines().count(), arg);
        }
    }

    private String failure(String... args) {
        return assertThrows(MergeException.class, () -> merge(args)).getMessage();
    }

    private static List<Matcher> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<Matcher> found = new ArrayList<>();
        while (m.find()) {
            found.add(Pattern.compile(regex).matcher(m.group()));
            found.get(found.size() - 1).find();
        }
        return found;
    }
}
