package org.virtiotck.probes.pci;

import static org.virtiotck.probes.pci.PciFunction.hex;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The ISR status byte and the INTx interrupt it drives (VIRTIO 1.2 §4.1.4.5.1). These probes leave MSI-X
 * disabled, so interrupts are INTx style. Each probe completes one request with used buffer notifications enabled
 * and EVENT_IDX off, where the device must notify (§2.7.7.2), and watches the ISR status and the Interrupt Status
 * bit of the PCI status register. A device elsewhere may notify a little after the used entry appears, so every
 * look waits up to the deadline.
 */
class IsrProbes {
    private static final int QUEUE_INTERRUPT = 1;

    /** A started device whose next completion needs a used buffer notification. */
    private static Workload notifyingWorkload(Session session, PciFunction pci) {
        Assumptions.assumeFalse(pci.msixEnabled(), "MSI-X is enabled: the ISR status is not the interrupt path");
        Workload w = PciFunction.prepareNotifying(session);
        w.driver().driverOk();
        pci.transport.takeInterrupts();
        return w;
    }

    /** Reads the ISR status (clearing it) until it shows the queue bit or the deadline passes; returns the last read. */
    private static int awaitQueueBit(PciFunction pci, Deadline deadline) {
        int isr = pci.transport.takeInterrupts();
        for (int attempt = 0; (isr & QUEUE_INTERRUPT) == 0 && !deadline.expired(); attempt++) {
            Deadline.pause(attempt);
            isr = pci.transport.takeInterrupts();
        }
        return isr;
    }

    @Probe
    @Clause(section = "4.1.4.5.1", label = "with MSI-X disabled, ISR queue bit is set before a used buffer notification",
            level = Level.MUST)
    void queueBitForUsedBuffer(Session session) {
        PciFunction pci = PciFunction.of(session);
        Workload w = notifyingWorkload(session, pci);
        PciFunction.completeOneRequest(w);
        int isr = awaitQueueBit(pci, w.driver().deadline());
        Check.that((isr & QUEUE_INTERRUPT) != 0, "ISR status after a completed request that needs a notification",
                "the queue interrupt bit (0x1)", hex(isr) + " until the deadline");
    }

    @Probe
    @Clause(section = "4.1.4.5.1", label = "reading ISR status resets it to 0", level = Level.MUST)
    void readClearsIsr(Session session) {
        PciFunction pci = PciFunction.of(session);
        Workload w = notifyingWorkload(session, pci);
        PciFunction.completeOneRequest(w);
        int isr = awaitQueueBit(pci, w.driver().deadline());
        Assumptions.assumeTrue(isr != 0, "the device set no ISR bit to clear");
        Check.equal("ISR status read again right after a read returned " + hex(isr), hex(0),
                hex(pci.transport.takeInterrupts()));
    }

    @Probe
    @Clause(section = "4.1.4.5.1", label = "with MSI-X disabled, the PCI Status interrupt bit is the OR of the ISR status bits",
            level = Level.MUST)
    void pciStatusMirrorsIsr(Session session) {
        PciFunction pci = PciFunction.of(session);
        Workload w = notifyingWorkload(session, pci);
        Check.that(!pci.interruptStatus(), "PCI Status Interrupt Status bit with the ISR status just read to 0", "clear", "set");
        PciFunction.completeOneRequest(w);
        Deadline deadline = w.driver().deadline();
        Check.that(deadline.until(pci::interruptStatus), "PCI Status Interrupt Status bit after a completed request that needs a notification",
                "set, as the ISR queue bit is", "clear until the deadline");
        int isr = pci.transport.takeInterrupts();
        Check.that(isr != 0, "ISR status while the PCI Status Interrupt Status bit is set", "a bit set", hex(isr));
        Check.that(!pci.interruptStatus(), "PCI Status Interrupt Status bit after reading the ISR status " + hex(isr)
                + " (which clears it)", "clear", "set");
    }
}
