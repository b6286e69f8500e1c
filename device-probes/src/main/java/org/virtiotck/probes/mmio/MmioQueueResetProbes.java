package org.virtiotck.probes.mmio;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.QueueResetRegisters;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The QueueReset register (VIRTIO 1.2 §4.2.2.1, VIRTIO_F_RING_RESET): what it reads after a device reset, after
 * enabling, during and after a queue reset, and that writing 1 resets the selected queue. The checks are shared
 * with the other transport's register (QueueResetRegisters); what the device then does with the queue is judged
 * by core.QueueResetProbes.
 */
class MmioQueueResetProbes {

    private static QueueResetRegisters registers(Session session) {
        Assumptions.assumeTrue(session.transport() instanceof MmioTransport, "transport is not virtio-mmio");
        return QueueResetRegisters.MMIO;
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "QueueReset reads 0 after a device reset", level = Level.MUST)
    void readsZeroAfterDeviceReset(Session session) {
        registers(session).readsZeroAfterDeviceReset(session);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "QueueReset reads 0 after the queue is enabled through QueueReady", level = Level.MUST)
    void readsZeroAfterEnable(Session session) {
        registers(session).readsZeroAfterEnable(session);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "writing 1 to QueueReset resets the selected queue", level = Level.MUST)
    void writingOneResetsTheSelectedQueue(Session session) {
        registers(session).writingOneResetsTheSelectedQueue(session);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "QueueReset reads 1 while the queue reset is in progress", level = Level.MUST)
    void readsOneWhileInProgress(Session session) {
        registers(session).readsOneWhileInProgress(session);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "QueueReset and QueueReady both read 0 once the queue reset completed", level = Level.MUST)
    void bothReadZeroOnceComplete(Session session) {
        registers(session).bothReadZeroOnceComplete(session);
    }
}
