package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.virtiotck.reports.ReportKeys;

/**
 * Probe power of the malformed-request probes (probes/malformed): each ends FAIL or WEDGED on its clause against a
 * blk device that handles that malformation unsafely (faulty/FaultyMalformed*Devices), and REJECT or PASS, a
 * successful test either way, against the reference blk in the same variant.
 */
class MalformedFaultyDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("follows-descriptor-loops", "MalformedSplitProbes#descriptorLoop", "2.7.5.2", "split",
                        "WEDGED", "REJECT"),
                Arguments.of("index-modulo-size", "MalformedSplitProbes#headBeyondQueueSize", "2.7.6", "split",
                        "FAIL", "REJECT"),
                Arguments.of("index-modulo-size", "MalformedSplitProbes#nextBeyondQueueSize", "2.7.5", "split",
                        "FAIL", "REJECT"),
                Arguments.of("zero-length-as-one-byte", "MalformedChainProbes#zeroLengthDescriptor", "2.7.5", "split",
                        "FAIL", "PASS"),
                Arguments.of("zero-length-as-one-byte", "MalformedChainProbes#zeroLengthDescriptor", "2.8.4", "packed",
                        "FAIL", "PASS"),
                Arguments.of("status-after-data", "MalformedBlkProbes#noStatusByte", "5.2.6.1", "split",
                        "FAIL", "REJECT"),
                Arguments.of("status-after-data", "MalformedBlkProbes#noStatusByte", "5.2.6.1", "packed",
                        "FAIL", "REJECT"),
                Arguments.of("empty-read-as-one-sector", "MalformedBlkProbes#readWithOnlyAStatusByte", "5.2.6.1",
                        "split", "FAIL", "PASS"),
                Arguments.of("wraps-past-memory-end", "MalformedChainProbes#bufferOutsideGuestMemory", "2.7.5", "split",
                        "FAIL", "REJECT"),
                Arguments.of("wraps-past-memory-end", "MalformedChainProbes#bufferOutsideGuestMemory",
                        "2.8.13", "packed", "FAIL", "REJECT"),
                Arguments.of("checks-buffer-start-only", "MalformedChainProbes#bufferStraddlingTheEndOfGuestMemory",
                        "2.7.5", "split", "FAIL", "REJECT"),
                Arguments.of("checks-buffer-start-only", "MalformedChainProbes#bufferStraddlingTheEndOfGuestMemory",
                        "2.8.13", "packed", "FAIL", "REJECT"),
                Arguments.of("writable-after-first-writable", "MalformedChainProbes#readableAfterWritable",
                        "2.7.4.2", "split", "FAIL", "REJECT"),
                Arguments.of("writable-after-first-writable", "MalformedChainProbes#readableAfterWritable",
                        "2.8.17", "packed", "FAIL", "REJECT"),
                Arguments.of("checks-head-avail-bit-only", "MalformedChainProbes#listWithADescriptorOfTheOtherLap",
                        "2.8.17", "packed", "FAIL", "REJECT"),
                Arguments.of("follows-next-after-indirect", "MalformedIndirectProbes#indirectWithNext",
                        "2.7.5.3.1", "split", "FAIL", "REJECT"),
                Arguments.of("follows-next-after-indirect", "MalformedIndirectProbes#indirectWithNext",
                        "2.8.19", "packed", "FAIL", "REJECT"),
                Arguments.of("follows-nested-tables", "MalformedIndirectProbes#nestedIndirectTable",
                        "2.7.5.3.1", "split", "FAIL", "REJECT"),
                Arguments.of("walks-table-until-length", "MalformedIndirectProbes#tableLengthNotAMultipleOf16",
                        "2.7.5.3", "split", "WEDGED", "REJECT"),
                Arguments.of("walks-table-until-length", "MalformedIndirectProbes#tableLengthNotAMultipleOf16",
                        "2.8.7", "packed", "WEDGED", "REJECT"),
                Arguments.of("trusts-avail-idx", "MalformedSplitProbes#availIdxMovedBack", "2.7.6.1", "split",
                        "FAIL", "REJECT"),
                Arguments.of("dies-on-short-header", "MalformedBlkProbes#noHeader", "5.2.6", "split",
                        "WEDGED", "REJECT"),
                Arguments.of("dies-on-short-header", "MalformedBlkProbes#noHeader", "5.2.6", "packed",
                        "WEDGED", "REJECT"),
                Arguments.of("dies-on-short-header", "MalformedBlkProbes#headerShorterThan16Bytes", "5.2.6", "split",
                        "WEDGED", "REJECT"),
                Arguments.of("dies-on-short-header", "MalformedBlkProbes#headerShorterThan16Bytes", "5.2.6", "packed",
                        "WEDGED", "REJECT"));
    }

    /** The blk probes without a faulty device of their own, and what the reference blk makes of them. */
    static Stream<Arguments> blkReference() {
        return Stream.of(
                Arguments.of("MalformedBlkProbes#readWithOnlyAStatusByte", "packed", "PASS"));
    }

    private static String verdict(EngineExecutionResults r) {
        return r.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class).map(ReportEntry::getKeyValuePairs).orElse(Map.of()))
                .map(m -> m.get(ReportKeys.VERDICT)).filter(v -> v != null).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{1} is {4} on faulty-blk-{0}, {3} ring")
    @MethodSource("faults")
    void probeFailsOrWedgesOnItsClause(String fault, String probe, String section, String ring, String bad,
                                       String good) {
        long start = System.nanoTime();
        String target = "inproc:faulty-blk-" + fault + "?transport=mmio&ring=" + ring + "&timeout=300ms";
        EngineExecutionResults r = ProbeRun.of("malformed." + probe, target, false);
        List<Event> failed = r.testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith(bad + " VIRTIO 1.2 §" + section + " "), message);
        assertEquals(bad, verdict(r));
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-blk-" + fault), message);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bounded by the 300 ms deadline, not hung");
    }

    @ParameterizedTest(name = "{1} is {5} on the reference blk, {3} ring")
    @MethodSource("faults")
    void sameProbeSucceedsOnTheReferenceDevice(String fault, String probe, String section, String ring, String bad,
                                               String good) {
        EngineExecutionResults r = ProbeRun.of("malformed." + probe, "inproc:blk?transport=mmio&ring=" + ring, false);
        r.testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
        assertEquals(good, verdict(r));
    }

    @ParameterizedTest(name = "{0} is {2} on the reference blk, {1} ring")
    @MethodSource("blkReference")
    void blkProbeSucceedsOnTheReferenceDevice(String probe, String ring, String good) {
        EngineExecutionResults r = ProbeRun.of("malformed." + probe, "inproc:blk?transport=mmio&ring=" + ring, false);
        r.testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
        assertEquals(good, verdict(r));
    }
}
