package org.virtiotck.reports.allure;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.ClauseCatalogue;
import org.virtiotck.reports.ClauseKey;
import org.virtiotck.reports.Level;
import org.virtiotck.reports.ReportKeys;
import org.virtiotck.reports.Verdict;

class ProbeResultsTest {
    private static final ClauseKey USED_LEN = new ClauseKey("1.2", "2.7.8.2",
            "used len never exceeds the bytes the device wrote", Level.MUST);
    private static final String TRACE = "3 events\n#1 queue 0 add id 0 ...\n";
    private final List<String> attached = new ArrayList<>();
    private final ProbeResults results = new ProbeResults(SpecLinks.standard(), ClauseCatalogue.standard());

    private AllureResult probe(ClauseKey clause, Verdict verdict) {
        Map<String, String> published = Map.of(ReportKeys.TARGET, "inproc:blk?transport=pci&ring=packed",
                ReportKeys.DEVICE, "blk", ReportKeys.TRANSPORT, "pci", ReportKeys.RING, "packed",
                ReportKeys.VERDICT, verdict.name(), ReportKeys.DETAIL, "what the device did",
                ReportKeys.REPRODUCE, "mvn verify -Dtarget=x", ReportKeys.TRACE, TRACE);
        TestCall call = new TestCall("org.virtiotck.probes.ring.UsedRingProbes", "usedLenOfIn", "[inproc:blk pci packed]",
                1, 2, null);
        return results.probe(call, clause, verdict, published, (name, content) -> {
            attached.add(content);
            return new AllureResult.Attachment(name, "a-attachment.txt", "text/plain");
        });
    }

    @Test
    void everyVerdictHasItsStatus() {
        Map<Verdict, String> expected = new EnumMap<>(Map.of(Verdict.PASS, "passed", Verdict.REJECT, "passed",
                Verdict.FAIL, "failed", Verdict.WEDGED, "broken", Verdict.SKIP, "skipped", Verdict.KNOWN, "skipped"));
        for (Verdict v : Verdict.values()) {
            AllureResult r = probe(USED_LEN, v);
            assertEquals(expected.get(v), r.status(), v.name());
            assertEquals(v.name(), r.label("verdict"));
        }
    }

    @Test
    void traceIsAttachedOnlyToFailWedgedAndKnown() {
        for (Verdict v : Verdict.values()) {
            attached.clear();
            AllureResult r = probe(USED_LEN, v);
            boolean failing = v == Verdict.FAIL || v == Verdict.WEDGED || v == Verdict.KNOWN;
            assertEquals(failing ? 1 : 0, r.attachments().size(), v.name());
            assertEquals(failing ? List.of(TRACE) : List.of(), attached, v.name());
        }
    }

    @Test
    void knownIsAKnownIssueWithTheReproduceLine() {
        AllureResult r = probe(USED_LEN, Verdict.KNOWN);
        assertEquals(Boolean.TRUE, r.statusDetails().known());
        assertEquals("what the device did\nreproduce: mvn verify -Dtarget=x", r.statusDetails().message());
        assertNull(probe(USED_LEN, Verdict.FAIL).statusDetails().known());
        assertNull(probe(USED_LEN, Verdict.PASS).statusDetails());
    }

    @Test
    void labelsSayClauseTargetAndSuites() {
        AllureResult r = probe(USED_LEN, Verdict.FAIL);
        assertEquals("§2.7.8.2 used len never exceeds the bytes the device wrote", r.label("clause"));
        assertEquals("critical", r.label("severity"));
        assertEquals("pci", r.label("transport"));
        assertEquals("packed", r.label("ring"));
        assertEquals("blk", r.label("device"));
        assertEquals("blk", r.label("suite"));
        assertEquals("Chapter 2 Basic Facilities of a Virtio Device", r.label("parentSuite"));
        assertEquals("UsedRingProbes", r.label("subSuite"));
        assertEquals("org.virtiotck.probes.ring.UsedRingProbes.usedLenOfIn[inproc:blk?transport=pci&ring=packed]",
                r.fullName());
        assertEquals("usedLenOfIn [inproc:blk pci packed]", r.name());
        assertEquals("normal", probe(new ClauseKey("1.2", "2.7.7.2", "x", Level.SHOULD), Verdict.FAIL).label("severity"));
    }

    @Test
    void fuzzRunGetsItsTargetFromTheDisplayName() {
        TestCall call = new TestCall("org.virtiotck.fuzz.TargetFuzz", "generatedCasesRunClean",
                "30 cases on inproc:blk?transport=mmio&ring=split", 1, 2, new AssertionError("finding"));
        AllureResult r = results.test(call, AllureResult.FAILED, false);
        assertEquals("inproc:blk?transport=mmio&ring=split", r.label("target"));
        assertEquals("TargetFuzz", r.label("suite"));
        assertEquals("finding", r.statusDetails().message());
        assertTrue(r.statusDetails().trace().contains("AssertionError"));
    }
}
