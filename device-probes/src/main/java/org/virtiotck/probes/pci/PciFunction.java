package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.PciTransport.Common.*;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.driver.transport.pci.PciTransport.ListEntry;
import org.virtiotck.harness.session.Session;

/**
 * The session's virtio-pci function as the §4.1 probes see it: its configuration space, its capabilities and the
 * common configuration structure, read and written field by field with the width of each field. Every probe of
 * this package starts here, so a target on another transport ends in SKIP in one place.
 */
final class PciFunction {
    /** Capability id of MSI-X in the PCI capability list. */
    static final int CAP_ID_MSIX = 0x11;
    /** Offset of Message Control in the MSI-X capability: Table Size (N-1) in bits 0..10, Enable in bit 15. */
    static final int MSIX_MESSAGE_CONTROL = 2;
    static final int MSIX_ENABLE = 0x8000;

    final PciTransport transport;
    final MmioBus common;

    private PciFunction(PciTransport transport) {
        this.transport = transport;
        this.common = transport.commonCfg();
    }

    /** The session's PCI function, or SKIP when the target reaches the device another way. */
    static PciFunction of(Session session) {
        Assumptions.assumeTrue(session.transport() instanceof PciTransport, "the target's transport is not virtio-pci");
        return new PciFunction((PciTransport) session.transport());
    }

    int config(int offset, int width) {
        return transport.config().read(offset, width);
    }

    int numQueues() {
        return (int) common.read(NUM_QUEUES, 2);
    }

    void selectQueue(int queue) {
        common.write(QUEUE_SELECT, 2, queue);
    }

    /** A 16-bit per-queue field of the common configuration, for one queue. */
    int queueField(int queue, int field) {
        selectQueue(queue);
        return (int) common.read(field, 2);
    }

    long deviceFeatureWord(int select) {
        common.write(DEVICE_FEATURE_SELECT, 4, select);
        return common.read(DEVICE_FEATURE, 4);
    }

    int deviceStatus() {
        return (int) common.read(DEVICE_STATUS, 1);
    }

    /**
     * Writes 0 to device_status and polls it until it reads 0 or the deadline passes (§4.1.4.3.2: the driver waits
     * for that read before reinitializing). Returns the last value read, so the caller can say what it saw.
     */
    int resetAndPoll(Deadline deadline) {
        common.write(DEVICE_STATUS, 1, 0);
        int status = deviceStatus();
        for (int attempt = 0; status != 0 && !deadline.expired(); attempt++) {
            Deadline.pause(attempt);
            status = deviceStatus();
        }
        return status;
    }

    /** The MSI-X capability's position, if the function has one. */
    Optional<Integer> msix() {
        return transport.capabilityList().stream().filter(e -> e.id() == CAP_ID_MSIX).map(ListEntry::position)
                .findFirst();
    }

    /** MSI-X is enabled when the function has the capability and its Enable bit is set; otherwise interrupts are INTx style. */
    boolean msixEnabled() {
        return msix().map(pos -> (config(pos + MSIX_MESSAGE_CONTROL, 2) & MSIX_ENABLE) != 0).orElse(false);
    }

    static String hex(long v) {
        return String.format("0x%x", v);
    }
}
