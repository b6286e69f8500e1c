package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.*;
import static org.virtiotck.driver.transport.pci.PciConfigSpace.STATUS;
import static org.virtiotck.driver.transport.pci.PciConfigSpace.STATUS_INTERRUPT;

import java.util.BitSet;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.driver.transport.pci.PciCapabilities;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;

/**
 * The session's virtio-pci function as the §4.1 probes see it: its configuration space, its capabilities and the
 * common configuration structure, read and written field by field with the width of each field. Every probe of
 * this package starts here, so a target on another transport ends in SKIP in one place.
 */
final class PciFunction {
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

    /** The MSI-X capability, if the function has one. */
    Optional<Msix> msix() {
        return transport.msix();
    }

    /** The MSI-X capability, or the probe ends in SKIP. */
    Msix requireMsix() {
        Optional<Msix> msix = msix();
        Assumptions.assumeTrue(msix.isPresent(), "the function has no MSI-X capability");
        return msix.get();
    }

    /** MSI-X is enabled when the function has the capability and its Enable bit is set; otherwise interrupts are INTx style. */
    boolean msixEnabled() {
        return msix().map(Msix::enabled).orElse(false);
    }

    /**
     * Turns MSI-X on with every vector aimed at a fresh mailbox in guest memory ({@link Msix#enable}), or SKIP
     * without MSI-X. Call it after the driver's last reset, which frees every allocation.
     */
    Msix enableMsix(Session session) {
        Msix msix = requireMsix();
        msix.enable(session.memory(), session.allocator().ring(4 * msix.vectors(), 4));
        return msix;
    }

    /** Waits until vector {@code vector}'s message arrives or the deadline passes; whether it arrived. */
    static boolean awaitMessage(Msix msix, int vector, Deadline deadline) {
        return deadline.until(() -> msix.takeMessages().get(vector));
    }

    /**
     * Turns MSI-X on ({@link #enableMsix}), maps configuration changes to {@code configVector}, the workload's queue
     * to {@code queueVector} and every other queue to NO_VECTOR, and sets DRIVER_OK; SKIP when a mapping fails.
     */
    Msix startWithVectors(Session session, Workload w, int configVector, int queueVector) {
        Msix msix = enableMsix(session);
        for (int q = 0; q < numQueues(); q++) {
            transport.mapQueueVector(q, NO_VECTOR);
        }
        int config = transport.mapConfigVector(configVector);
        Assumptions.assumeTrue(config == configVector, "mapping config_msix_vector to " + hex(configVector)
                + " read back " + hex(config));
        int q = w.queue().index();
        int queue = transport.mapQueueVector(q, queueVector);
        Assumptions.assumeTrue(queue == queueVector, "mapping queue " + q + " to vector " + hex(queueVector)
                + " read back " + hex(queue));
        w.driver().driverOk();
        return msix;
    }

    /** The vectors whose messages arrived once a device running elsewhere had time to send them, as "{0, 1}". */
    static BitSet settledMessages(Msix msix) {
        Interrupts.settle();
        return msix.takeMessages();
    }

    /** One read of the ISR status, which clears it (§4.1.4.5). */
    int readIsr() {
        return (int) transport.bus().read(transport.structure(PciCapabilities.CAP_ISR_CFG).orElseThrow().address(), 1);
    }

    /** The Interrupt Status bit of the PCI status register: INTx asserted, unless masked (§4.1.4.5.1). */
    boolean interruptStatus() {
        return (config(STATUS, 2) & STATUS_INTERRUPT) != 0;
    }

    /**
     * Negotiates the driver model's features without EVENT_IDX and sets up the queues, short of DRIVER_OK: with
     * interrupts enabled in the flags, every completion then needs a used buffer notification (§2.7.7.2).
     */
    static Workload prepareNotifying(Session session) {
        Workload w = Workload.prepare(session, Devices.DRIVER_SUPPORTS.without(Feature.EVENT_IDX));
        Assumptions.assumeFalse(w.driver().negotiated().has(Feature.EVENT_IDX),
                "the target requires EVENT_IDX; the probe needs a notification the flags alone call for");
        return w;
    }

    /** Submits one request of the workload and waits for it to be used. */
    static void completeOneRequest(Workload w) {
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
    }

    static String hex(long v) {
        return String.format("0x%x", v);
    }
}
