package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;

/**
 * Probe power of the status, reset, notification, ring-state and virtio-mmio state probes: each FAILs on its
 * clause against a blk device with one deviation planted (faulty/FaultyCoreDevices), and PASSes against the
 * reference blk in the same variant. Every clause here is a MUST, so the failure shows without -Dstrict.
 */
class CoreFaultyDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("used-id-not-in-flight", "ring.RingWriteProbes#usedIdsNameBuffersInFlight", "2.7.8", "split"),
                Arguments.of("used-id-not-in-flight", "ring.RingWriteProbes#usedIdsNameBuffersInFlight", "2.8", "packed"),
                Arguments.of("used-idx-runs-ahead", "ring.RingWriteProbes#usedIdxMovesByCompletionsOnly", "2.7.8", "split"),
                Arguments.of("used-without-avail-bit", "ring.RingWriteProbes#usedDescriptorsCarryTheWrapCounter", "2.8.1",
                        "packed"),
                Arguments.of("used-flags-bit-one", "ring.RingWriteProbes#usedFlagsWithoutEventIdx", "2.7.10.2", "split"),
                Arguments.of("used-flags-bit-one", "ring.RingWriteProbes#usedFlagsWithEventIdx", "2.7.10.2", "split"),
                Arguments.of("device-event-reserved", "ring.RingWriteProbes#deviceEventFlagsValid", "2.8.10", "packed"),
                Arguments.of("scribbles-driver-area", "ring.RingWriteProbes#driverAreaUntouched", "2.7.6", "split"),
                Arguments.of("scribbles-driver-area", "ring.RingWriteProbes#driverAreaUntouched", "2.8.10", "packed"),
                Arguments.of("short-in-order-batch", "ring.RingWriteProbes#inOrderBatchesCoverTheirBuffers", "2.7.9", "split"),
                Arguments.of("honours-used-event", "ring.SuppressionFieldProbes#usedEventIgnoredWithoutEventIdx", "2.7.7.2",
                        "split"),
                Arguments.of("honours-avail-flag", "ring.SuppressionFieldProbes#availFlagIgnoredWithEventIdx", "2.7.7.2",
                        "split"),
                Arguments.of("faults-on-empty-notify", "ring.SpuriousNotifyProbes#spuriousNotificationsAreHarmless",
                        "2.7.10.2", "split"),
                Arguments.of("notifies-while-not-live", "core.QuiescenceProbes#noUsedNotificationBeforeDriverOk", "2.1.2",
                        "split"),
                Arguments.of("notifies-while-not-live", "core.QuiescenceProbes#noNotificationAfterReset", "2.4.1", "split"),
                Arguments.of("serves-after-reset", "core.QuiescenceProbes#noQueueAccessAfterReset", "2.4.1", "split"),
                Arguments.of("hides-config-interrupt", "core.NeedsResetProbes#needsResetComesWithConfigChange", "2.1.2",
                        "split"),
                Arguments.of("hides-config-interrupt", "mmio.MmioDeviceStateProbes#configChangeBitUntilAcknowledged",
                        "4.2.2.1", "split"),
                Arguments.of("config-drifts", "mmio.MmioDeviceStateProbes#configurationStableWithinAGeneration", "4.2.2.1",
                        "split"),
                Arguments.of("serves-stopped-queue", "mmio.MmioDeviceStateProbes#stoppedQueueIsLeftAlone", "4.2.2.1",
                        "split"),
                Arguments.of("offers-sr-iov", "core.ReservedFeatureProbes#srIovOnlyOnPci", "6.2", "split"),
                Arguments.of("ignores-avail-bit", "ring.AvailBitProbes#descriptorsWithoutTheAvailBitAreLeftAlone",
                        "2.8.15", "packed"),
                Arguments.of("indirect-write-as-buffer", "ring.IndirectProbes#writeFlagOnTheTableDescriptorIsIgnored",
                        "2.7.5.3.2", "split"),
                Arguments.of("indirect-write-as-buffer",
                        "ring.IndirectProbes#writeFlagOnThePackedTableDescriptorIsIgnored", "2.8.7", "packed"),
                Arguments.of("late-used-len", "ring.UsedPublicationProbes#usedLenIsInPlaceWhenTheIdxMoves", "2.7.8.2",
                        "split"),
                Arguments.of("late-used-data", "ring.UsedPublicationProbes#dataIsInPlaceWhenTheIdxMoves", "2.7.8.2",
                        "split"),
                Arguments.of("swaps-chained-buffers", "ring.ChainOrderProbes#chainedDescriptorsAreUsedInOrder", "2.8.18",
                        "packed"),
                Arguments.of("swaps-chained-buffers", "ring.ChainOrderProbes#chainedOutDescriptorsAreUsedInOrder",
                        "2.8.18", "packed"),
                Arguments.of("serves-ahead-of-ring-order", "ring.RingOrderProbes#laterRequestWaitsForTheSlotsBeforeIt",
                        "2.8.12", "packed"));
    }

    /** A fault next to the probe's clause but outside it: the probe must not blame it on its own clause. */
    static Stream<Arguments> neighbouringFaults() {
        return Stream.of(
                Arguments.of("late-used-len", "ring.UsedPublicationProbes#dataIsInPlaceWhenTheIdxMoves", "split"),
                Arguments.of("late-used-data", "ring.UsedPublicationProbes#usedLenIsInPlaceWhenTheIdxMoves", "split"),
                Arguments.of("indirect-write-as-buffer", "ring.IndirectProbes#directAndIndirectLayoutsGiveTheSameRead",
                        "packed"),
                Arguments.of("serves-ahead-of-ring-order",
                        "ring.AvailBitProbes#descriptorsWithoutTheAvailBitAreLeftAlone", "packed"));
    }

    @ParameterizedTest(name = "{1} PASSes on faulty-blk-{0}, {2} ring")
    @MethodSource("neighbouringFaults")
    void probePassesOnANeighbouringFault(String fault, String probe, String ring) {
        ProbeRun.of(probe, "inproc:faulty-blk-" + fault + "?transport=mmio&ring=" + ring + "&timeout=300ms", false)
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs on faulty-blk-{0}, {3} ring")
    @MethodSource("faults")
    void probeFailsOnItsClause(String fault, String probe, String section, String ring) {
        String target = "inproc:faulty-blk-" + fault + "?transport=mmio&ring=" + ring + "&timeout=300ms";
        List<Event> failed = ProbeRun.of(probe, target, false).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-blk-" + fault), message);
    }

    @ParameterizedTest(name = "{1} PASSes on the reference blk, {3} ring")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String fault, String probe, String section, String ring) {
        ProbeRun.of(probe, "inproc:blk?transport=mmio&ring=" + ring, false).testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }
}
