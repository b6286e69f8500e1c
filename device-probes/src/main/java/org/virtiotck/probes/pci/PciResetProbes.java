package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.QUEUE_ENABLE;
import static org.virtiotck.driver.transport.pci.CommonConfig.QUEUE_SIZE;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Device reset through device_status of the common configuration (VIRTIO 1.2 §4.1.4.3.1): the write of 0, the
 * status reading 0 once done, and what a reset leaves in the per-queue fields. Each probe resets a device that
 * completed a request, so there is state to forget.
 */
class PciResetProbes {

    /** Starts the device, completes one request, and resets it through device_status; fails if it never reads 0. */
    private static PciFunction resetLiveDevice(Session session, Workload w) {
        PciFunction pci = PciFunction.of(session);
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        resetAndCheck(pci, w.driver().deadline());
        return pci;
    }

    private static void resetAndCheck(PciFunction pci, Deadline deadline) {
        int status = pci.resetAndPoll(deadline);
        Check.equal("device_status within " + deadline.budget().toMillis() + " ms of writing 0 there",
                DeviceStatus.describe(0), DeviceStatus.describe(status));
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "device_status reads 0 once the reset is done", level = Level.MUST)
    void statusReadsZeroAfterReset(Session session) {
        PciFunction.of(session);
        resetLiveDevice(session, Workload.start(session));
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "queue_enable reads 0 after a reset", level = Level.MUST)
    void queueEnableZeroAfterReset(Session session) {
        PciFunction.of(session);
        PciFunction pci = resetLiveDevice(session, Workload.start(session));
        for (int q = 0; q < pci.numQueues(); q++) {
            Check.equal("queue_enable of queue " + q + " after reset", 0, pci.queueField(q, QUEUE_ENABLE));
        }
    }

    /**
     * A reset returns the device to its initial state: queue_size shows the maximum again (§4.1.4.3: "on reset")
     * after the driver chose a smaller size, and the device can be initialized and used again from scratch.
     */
    @Probe
    @Clause(section = "4.1.4.3.1", label = "writing 0 to device_status resets the device", level = Level.MUST)
    void writingZeroResets(Session session) {
        PciFunction pci = PciFunction.of(session);
        VirtioDriver driver = session.driver();
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        int max = pci.queueField(0, QUEUE_SIZE);
        Assumptions.assumeTrue(max >= 2, "queue 0's maximum size is " + max + ": no smaller size to choose");
        int smaller = Integer.highestOneBit(max - 1);
        pci.common.write(QUEUE_SIZE, 2, smaller);
        Assumptions.assumeTrue(pci.queueField(0, QUEUE_SIZE) == smaller,
                "queue 0 did not take the size " + smaller + " below its maximum " + max);
        resetAndCheck(pci, driver.deadline());
        Check.equal("queue_size of queue 0 after reset, the driver having set it to " + smaller + " (maximum " + max + ")",
                max, pci.queueField(0, QUEUE_SIZE));
        Workload again = Workload.start(session);
        Workload.Request r = again.request();
        again.driver().submit(again.queue(), r.readable(), r.writable());
    }
}
