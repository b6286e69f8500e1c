package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Event;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;

/**
 * Probe power of the queue reset probes (VIRTIO_F_RING_RESET: §2.6.1, §4.1.4.3.1, §4.2.2.1): each FAILs on its
 * clause against a device with one deviation planted (faulty/FaultyQueueResetDevices), and PASSes against the
 * reference device of the same type in the same variant. Every clause is a MUST.
 */
class QueueResetFaultyDevicesTest {

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("blk", "queue-reset-set-after-device-reset", "pci.PciQueueResetProbes#readsZeroAfterDeviceReset", "pci", "split"),
                Arguments.of("blk", "queue-reset-mirrors-enable", "pci.PciQueueResetProbes#readsZeroAfterEnable", "pci", "split"),
                Arguments.of("net", "resets-queue-zero", "pci.PciQueueResetProbes#writingOneResetsTheSelectedQueue", "pci", "split"),
                Arguments.of("blk", "queue-reset-reads-zero-early", "pci.PciQueueResetProbes#readsOneWhileInProgress", "pci", "split"),
                Arguments.of("blk", "enable-stays-set-after-queue-reset", "pci.PciQueueResetProbes#bothReadZeroOnceComplete", "pci",
                        "packed"),
                Arguments.of("blk", "queue-reset-never-completes", "pci.PciQueueResetProbes#bothReadZeroOnceComplete", "pci", "split"),
                Arguments.of("blk", "queue-reset-set-after-device-reset", "mmio.MmioQueueResetProbes#readsZeroAfterDeviceReset", "mmio",
                        "split"),
                Arguments.of("blk", "queue-reset-mirrors-enable", "mmio.MmioQueueResetProbes#readsZeroAfterEnable", "mmio", "packed"),
                Arguments.of("net", "resets-queue-zero", "mmio.MmioQueueResetProbes#writingOneResetsTheSelectedQueue", "mmio", "split"),
                Arguments.of("blk", "queue-reset-reads-zero-early", "mmio.MmioQueueResetProbes#readsOneWhileInProgress", "mmio", "split"),
                Arguments.of("blk", "enable-stays-set-after-queue-reset", "mmio.MmioQueueResetProbes#bothReadZeroOnceComplete", "mmio",
                        "split"),
                Arguments.of("blk", "queue-reset-never-completes", "mmio.MmioQueueResetProbes#bothReadZeroOnceComplete", "mmio",
                        "packed"),
                Arguments.of("blk", "serves-reset-queue", "core.QueueResetProbes#noRequestExecutedAfterQueueReset", "mmio", "split"),
                Arguments.of("blk", "notifies-reset-queue", "core.QueueResetProbes#noNotificationAfterQueueReset", "mmio", "split"),
                Arguments.of("blk", "keeps-used-idx", "core.QueueResetProbes#queueResetReturnsRingStateToDefaults", "mmio", "split"),
                Arguments.of("blk", "keeps-queue-size", "core.QueueResetProbes#reEnabledQueueUsesTheNewSize", "mmio", "split"),
                Arguments.of("blk", "keeps-queue-size", "core.QueueResetProbes#reEnabledQueueUsesTheNewSize", "mmio", "packed"));
    }

    private static String variant(String transport, String ring) {
        return "?transport=" + transport + "&ring=" + ring;
    }

    /** The probe's clause, so the failure can be checked to name exactly it. */
    private static Clause clause(String probe) throws ReflectiveOperationException {
        String[] parts = probe.split("#");
        return Class.forName("org.virtiotck.probes." + parts[0]).getDeclaredMethod(parts[1], Session.class)
                .getAnnotation(Clause.class);
    }

    @ParameterizedTest(name = "{2} FAILs on faulty-{0}-{1}, {3}, {4} ring")
    @MethodSource("faults")
    void probeFailsOnItsClause(String device, String fault, String probe, String transport, String ring) throws Exception {
        String target = "inproc:faulty-" + device + "-" + fault + variant(transport, ring) + "&timeout=300ms";
        List<Event> failed = ProbeRun.of(probe, target, false).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once against " + target);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        Clause clause = clause(probe);
        assertTrue(message.startsWith("FAIL VIRTIO 1.2 §" + clause.section() + " "), message);
        assertTrue(message.contains(clause.label()), message);
        assertTrue(message.contains("expected"), message);
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-" + device + "-" + fault), message);
    }

    @ParameterizedTest(name = "{2} PASSes on the reference {0}, {3}, {4} ring")
    @MethodSource("faults")
    void sameProbePassesOnTheReferenceDevice(String device, String fault, String probe, String transport, String ring) {
        ProbeRun.of(probe, "inproc:" + device + variant(transport, ring), false).testEvents()
                .assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }
}
