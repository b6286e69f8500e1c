package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.virtiotck.harness.junit.ProbeExtension;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;
import org.virtiotck.harness.target.TargetException;
import org.virtiotck.reports.ReportKeys;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * A known-deviation list turns the FAIL it explains into KNOWN (reported with the evidence, the build not failed)
 * and nothing else: another probe's FAIL, or the same probe on a variant the entry excludes, still fails.
 */
class KnownDeviationsTest {
    private static final String PROBE = "console.ConsoleTransmitProbes#transmittedBytesReachTheHostInOrder";
    private static final String TARGET = "inproc:faulty-console-reorders-tx?transport=mmio&ring=split&timeout=300ms";

    @TempDir
    Path dir;

    private String list(String target) throws IOException {
        Path f = dir.resolve("known.json");
        Files.writeString(f, """
                {"backend": "faulty console 1.0", "deviations": [
                  {"probe": "ConsoleTransmitProbes#transmittedBytesReachTheHostInOrder", %s
                   "clause": "§5.3.6 port 0 output in order", "evidence": "swaps the first two bytes of every transmit"}]}
                """.formatted(target == null ? "" : "\"target\": \"" + target + "\","));
        return f.toString();
    }

    private static EngineExecutionResults run(String known) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod("org.virtiotck.probes." + PROBE + "(org.virtiotck.harness.session.Session)"))
                .configurationParameter(ProbeExtension.TARGET_PARAMETER, TARGET)
                .configurationParameter(KnownDeviations.PARAMETER, known)
                .execute();
    }

    private static Map<String, String> published(Event e) {
        return e.getPayload(ReportEntry.class).map(ReportEntry::getKeyValuePairs).orElse(Map.of());
    }

    @Test
    void explainedFailureIsReportedKnownWithItsEvidence() throws IOException {
        EngineExecutionResults r = run(list("ring=split"));
        r.testEvents().assertStatistics(s -> s.failed(0).aborted(1).succeeded(0));
        String verdict = r.testEvents().reportingEntryPublished().stream().map(KnownDeviationsTest::published)
                .map(m -> m.get(ReportKeys.VERDICT)).filter(v -> v != null).findFirst().orElseThrow();
        assertEquals("KNOWN", verdict);
        String message = r.testEvents().aborted().list().get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("KNOWN VIRTIO 1.2 §5.3.6 "), message);
        assertTrue(message.contains("swaps the first two bytes"), message);
        assertTrue(message.contains("this run: FAIL"), message);
    }

    @Test
    void entryForOtherVariantsLeavesTheFailure() throws IOException {
        run(list("ring=packed")).testEvents().assertStatistics(s -> s.failed(1).aborted(0));
    }

    @Test
    void withoutTheListTheProbeFails() {
        run("").testEvents().assertStatistics(s -> s.failed(1).aborted(0));
    }

    @Test
    void entryWithoutEvidenceIsRefusedInOneLine() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"backend\": \"x\", \"deviations\": [{\"probe\": \"A#b\", \"clause\": \"§1\"}]}");
        TargetException e = assertThrows(TargetException.class, () -> KnownDeviations.load(f.toString()));
        assertTrue(e.getMessage().startsWith("bad known-deviation list " + f + ": every entry needs"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void malformedOrMissingFileIsRefusedInOneLine() throws IOException {
        Path f = dir.resolve("garbage.json");
        Files.writeString(f, "{\"backend\": \"x\", \"deviatons\": []}");
        for (String file : List.of(f.toString(), dir.resolve("absent.json").toString())) {
            TargetException e = assertThrows(TargetException.class, () -> KnownDeviations.load(file));
            assertTrue(e.getMessage().startsWith("bad known-deviation list " + file + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void aFuzzEntryNeedsAValidPatternAndNoProbe() throws IOException {
        String entry = "{\"backend\": \"x\", \"deviations\": [{%s \"clause\": \"§1\", \"evidence\": \"seen\"}]}";
        Path both = Files.writeString(dir.resolve("both.json"), entry.formatted("\"probe\": \"A#b\", \"fuzz\": \".*\","));
        Path neither = Files.writeString(dir.resolve("neither.json"), entry.formatted(""));
        Path badRegex = Files.writeString(dir.resolve("regex.json"), entry.formatted("\"fuzz\": \"[driver\","));
        for (Path f : List.of(both, neither, badRegex)) {
            TargetException e = assertThrows(TargetException.class, () -> KnownDeviations.load(f.toString()));
            assertTrue(e.getMessage().startsWith("bad known-deviation list " + f + ": "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        Path good = Files.writeString(dir.resolve("good.json"), entry.formatted(
                "\"fuzz\": \"\\\\[driver\\\\] .* \\\\| net RECEIVE, 3 descriptors\", \"target\": \"transport=mmio\","));
        KnownDeviations list = KnownDeviations.load(good.toString());
        TargetVariant net = TargetSpec.parse("inproc:net?transport=mmio&ring=split").variants().get(0);
        String signature = "[driver] WRITE_OUTSIDE_WRITABLE: # byte(s) | net RECEIVE, 3 descriptors";
        assertTrue(list.findFuzz(signature, net).isPresent(), "the whole signature matches on the entry's variants");
        TargetVariant pci = TargetSpec.parse("inproc:net?transport=pci&ring=split").variants().get(0);
        assertTrue(list.findFuzz(signature, pci).isEmpty(), "the entry's target names transport=mmio");
        assertTrue(list.findFuzz("[driver] WRITE_OUTSIDE_WRITABLE: # byte(s) | net TRANSMIT, 1 descriptors", net).isEmpty(),
                "another request shape is another finding");
        assertTrue(list.find("A#b", net).isEmpty(), "a fuzz entry explains no probe");
    }
}
