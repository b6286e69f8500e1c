package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;
import org.virtiotck.reports.ReportKeys;

/**
 * Probe power: every probe family FAILs, on the intended clause, against an in-process device with exactly
 * that deviation planted (see faulty/FaultyBlkDevices), and PASSes against the reference device.
 */
class FaultyDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("used-len-plus-one", "ring.UsedRingProbes#usedLenOfIn", "2.7.8.2"),
                Arguments.of("used-len-plus-one", "ring.UsedRingProbes#usedLenOfGetId", "2.7.8.2"),
                Arguments.of("used-len-plus-one", "ring.UsedRingProbes#usedLenOfRefusedIn", "2.7.8.2"),
                Arguments.of("write-past-buffer", "ring.DescriptorTableProbes#noWriteOutsideWritableBuffers", "2.7.5.1"),
                Arguments.of("writes-readable", "ring.DescriptorTableProbes#noWriteToReadableBuffers", "2.7.5.1"),
                Arguments.of("scribbles-descriptors", "ring.DescriptorTableProbes#noWriteToDescriptorTable", "2.7.5.1"),
                Arguments.of("status-first-byte", "blk.BlkIoProbes#statusIsLastWritableByte", "5.2.6"),
                Arguments.of("ignores-capacity", "blk.BlkErrorProbes#inPastCapacityIsIoerr", "5.2.6"),
                Arguments.of("ignores-capacity", "blk.BlkErrorProbes#inStraddlingEndIsIoerr", "5.2.6"),
                Arguments.of("short-capacity", "blk.BlkIoProbes#lastSectorIsServed", "5.2.6"),
                Arguments.of("unsupp-as-ok", "blk.BlkErrorProbes#unknownTypeIsUnsupp", "5.2.6"),
                Arguments.of("no-version-1", "core.FeatureProbes#offersVersion1", "6.2"),
                Arguments.of("accepts-unoffered", "core.FeatureProbes#refusesUnofferedFeature", "2.2.2"),
                Arguments.of("reset-keeps-status", "core.ResetProbes#statusReadsZeroAfterReset", "2.4.1"),
                Arguments.of("drops-driver-bit", "core.StatusProbes#statusReadsBackInitializationSteps", "2.1"),
                Arguments.of("hides-config-early", "core.StatusProbes#configReadableBeforeFeaturesOk", "2.5.2"),
                Arguments.of("consumes-before-driver-ok", "core.StatusProbes#consumesNothingBeforeDriverOk", "2.1.2"),
                Arguments.of("legacy-version", "mmio.MmioRegisterProbes#versionIsTwo", "4.2.2.1"),
                Arguments.of("sticky-interrupt", "mmio.MmioRegisterProbes#interruptStatusShowsUsedBuffer", "4.2.2.1"),
                Arguments.of("queue-ready-stuck", "mmio.MmioRegisterProbes#resetClearsInterruptsAndQueueReady", "4.2.2.1"),
                Arguments.of("never-notifies", "ring.NotificationProbes#notifiesWhenNotSuppressed", "2.7.7.2"),
                Arguments.of("never-notifies", "ring.NotificationProbes#notifiesAtTheEventIndex", "2.7.7.2"),
                Arguments.of("reverses-batch", "ring.InOrderProbes#requestsTakeEffectInTheOrderMadeAvailable", "6.2"),
                Arguments.of("drops-last-indirect-entry", "ring.IndirectProbes#directAndIndirectLayoutsGiveTheSameRead",
                        "2.7.4.1"),
                Arguments.of("drops-last-indirect-entry", "ring.IndirectProbes#directDescriptorsThenAnIndirectOne",
                        "2.7.5.3.2"),
                Arguments.of("drops-last-indirect-entry", "ring.IndirectProbes#writeFlagOnTheTableDescriptorIsIgnored",
                        "2.7.5.3.2"));
    }

    /** SHOULD clauses: FAIL in the matrix, and a failed test under -Dstrict. */
    static Stream<Arguments> shouldFaults() {
        return Stream.of(
                Arguments.of("always-notifies", "ring.NotificationProbes#quietWhileFlagsSuppress", "2.7.7.2"),
                Arguments.of("always-notifies", "ring.NotificationProbes#quietBeforeTheEventIndex", "2.7.7.2"));
    }

    @ParameterizedTest(name = "{1} FAILs under strict on faulty-blk-{0}")
    @MethodSource("shouldFaults")
    void shouldProbeFailsOnItsClauseUnderStrict(String fault, String probe, String section) {
        String target = "inproc:faulty-blk-" + fault + "?transport=mmio&ring=split&timeout=300ms";
        List<Event> failed = ProbeRun.of(probe, target, true).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference blk")
    @MethodSource("shouldFaults")
    void shouldProbePassesOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, "inproc:blk?transport=mmio&ring=split", true).testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-blk-{0}")
    @MethodSource("faults")
    void probeFailsOnItsClause(String fault, String probe, String section) {
        // Register-level faults are planted in the virtio-mmio register file, so every fault runs there.
        String target = "inproc:faulty-blk-" + fault + "?transport=mmio&ring=split&timeout=300ms";
        List<Event> failed = ProbeRun.of(probe, target, false).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-blk-" + fault), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference blk")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String fault, String probe, String section) {
        ProbeRun.of(probe, "inproc:blk?transport=mmio&ring=split", false).testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @Test
    void everyProbePassesOnTheReferenceDevice() {
        var events = ProbeRun.all("inproc?ring=split", true).testEvents();
        assertEquals(0, events.failed().count(), () -> events.failed().list().toString());
        assertTrue(events.succeeded().count() >= 50, "probes run: " + events.succeeded().count());
    }

    @Test
    void brokenShouldClauseFailsOnlyUnderStrict() {
        String probe = "core.FeatureProbes#renegotiatesSameFeaturesAfterReset";
        String target = "inproc:faulty-blk-refuses-renegotiation?transport=mmio&ring=split";
        var lenient = ProbeRun.of(probe, target, false);
        lenient.testEvents().assertStatistics(s -> s.failed(0).aborted(1));
        assertTrue(lenient.allEvents().reportingEntryPublished().stream()
                .anyMatch(e -> e.getPayload(org.junit.platform.engine.reporting.ReportEntry.class).orElseThrow()
                        .getKeyValuePairs().getOrDefault(ReportKeys.VERDICT, "").equals("FAIL")),
                "verdict FAIL is still reported for the matrix");
        ProbeRun.of(probe, target, true).testEvents().assertStatistics(s -> s.failed(1));
    }

    @Test
    void deviceThatGoesAwayIsWedged() {
        var run = ProbeRun.of("blk.BlkIoProbes#inReturnsDiskData",
                "inproc:faulty-blk-dies-at-first-notify?transport=mmio&ring=split", false);
        String message = run.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("WEDGED "), message);
        assertTrue(message.contains("closed its connection"), message);
    }

    @Test
    void wedgedDeviceEndsInAFailureWithinTheDeadline() {
        long start = System.nanoTime();
        String target = "inproc:faulty-blk-reset-keeps-status?transport=mmio&ring=split&timeout=200ms";
        ProbeRun.of("blk.BlkIoProbes#inReturnsDiskData", target, false).testEvents()
                .assertStatistics(s -> s.failed(0).succeeded(1));
        var wedged = ProbeRun.of("mmio.MmioRegisterProbes#resetClearsInterruptsAndQueueReady", target, false);
        String message = wedged.testEvents().failed().list().get(0).getPayload(TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("WEDGED "), message);
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "deadline respected");
    }
}
