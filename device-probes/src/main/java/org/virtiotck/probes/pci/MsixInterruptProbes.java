package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.NO_VECTOR;

import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Used buffer notifications with MSI-X enabled (VIRTIO 1.2 §4.1.5.3): the message of the queue's vector, and no
 * interrupt at all for a queue whose vector is NO_VECTOR. The driver model aims every vector at a mailbox in guest
 * memory ({@link Msix#enable}), so a message is its data appearing there. EVENT_IDX is off and interrupts are
 * enabled in the flags, so every completion calls for a notification (§2.7.7.2).
 */
class MsixInterruptProbes {

    @Probe
    @Clause(section = "4.1.5.3.1", label = "with MSI-X enabled, a queue whose vector is NO_VECTOR raises no interrupt",
            level = Level.MUST)
    void queueOnNoVectorRaisesNoInterrupt(Session session) {
        PciFunction pci = PciFunction.of(session);
        pci.requireMsix();
        // First the same request on a mapped queue: it must send a message, or silence below proves nothing.
        Workload mapped = PciFunction.prepareNotifying(session);
        Msix msix = pci.startWithVectors(session, mapped, NO_VECTOR, 0);
        PciFunction.completeOneRequest(mapped);
        Assumptions.assumeTrue(PciFunction.awaitMessage(msix, 0, mapped.driver().deadline()), "the device sent no "
                + "message for a queue mapped to vector 0 either: whether NO_VECTOR silences it cannot be told");

        Workload w = PciFunction.prepareNotifying(session);
        msix = pci.startWithVectors(session, w, NO_VECTOR, NO_VECTOR);
        PciFunction.completeOneRequest(w);
        BitSet sent = PciFunction.settledMessages(msix);
        String after = "after a request completed on queue " + w.queue().index() + ", every vector mapping NO_VECTOR";
        Check.that(sent.isEmpty(), "MSI-X messages " + after, "none", "the message of vector(s) " + sent);
        Check.that(!pci.interruptStatus(), "PCI Status Interrupt Status (INTx) " + after, "clear", "set");
    }
}
