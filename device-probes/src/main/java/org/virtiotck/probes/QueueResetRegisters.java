package org.virtiotck.probes;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.session.Session;

/**
 * The queue reset register and the queue enable register of one transport, as the driver reads them (§4.1.4.3.1:
 * queue_reset and queue_enable; §4.2.2.1: QueueReset and QueueReady). Both transports state the same five rules,
 * so the checks live here once and each transport's probes name their own clauses and registers.
 */
public record QueueResetRegisters(String reset, String enable) {
    public static final QueueResetRegisters PCI = new QueueResetRegisters("queue_reset", "queue_enable");
    public static final QueueResetRegisters MMIO = new QueueResetRegisters("QueueReset", "QueueReady");

    private static String bit(boolean set) {
        return set ? "1" : "0";
    }

    private static int queueCount(Session session) {
        return session.deviceType().baseQueues();
    }

    /** A queue reset left in progress, then a device reset and a fresh negotiation: no queue's reset register reads 1. */
    public void readsZeroAfterDeviceReset(Session session) {
        Workload w = QueueReset.start(session);
        Transport t = w.driver().transport();
        t.resetQueue(w.queue().index());
        w.driver().negotiate(Devices.DRIVER_SUPPORTS);
        for (int q = 0; q < queueCount(session); q++) {
            Check.equal(reset + " of queue " + q + " after a device reset and a fresh negotiation of RING_RESET",
                    "0", bit(t.queueResetPending(q)));
        }
    }

    /** Every queue the driver enabled reads 0 in its reset register, and so does one re-enabled after a queue reset. */
    public void readsZeroAfterEnable(Session session) {
        Workload w = QueueReset.start(session);
        VirtioDriver driver = w.driver();
        Transport t = driver.transport();
        for (int q = 0; q < queueCount(session); q++) {
            Check.equal(reset + " of queue " + q + " after the driver enabled it with " + enable, "0", bit(t.queueResetPending(q)));
        }
        int index = w.queue().index();
        driver.resetQueue(index);
        driver.setupQueue(index, Devices.QUEUE_SIZE);
        Check.equal(reset + " of queue " + index + " re-enabled with " + enable + " after a queue reset", "0",
                bit(t.queueResetPending(index)));
    }

    /**
     * Resets the workload's queue by writing 1 with that queue selected: it must be the one reset, so it can be set up
     * afresh and serve a request from position 0, while every other queue stays enabled.
     */
    public void writingOneResetsTheSelectedQueue(Session session) {
        Workload w = QueueReset.start(session);
        VirtioDriver driver = w.driver();
        Transport t = driver.transport();
        Workload.Request first = w.request();
        driver.submit(w.queue(), first.readable(), first.writable());
        int index = w.queue().index();
        driver.resetQueue(index);
        for (int q = 0; q < queueCount(session); q++) {
            if (q != index) {
                Check.equal(enable + " of queue " + q + " after 1 was written to " + reset + " of queue " + index, "1",
                        bit(t.queueReady(q)));
            }
        }
        Virtqueue fresh = driver.setupQueue(index, Devices.QUEUE_SIZE);
        QueueReset.serveOneByOne(w, fresh, 1, "set up afresh after 1 was written to its " + reset);
    }

    /**
     * Once the reset register reads 0 the reset is over, so nothing of it may still happen: the queue's registers read
     * the same a while later. A reset finishing after its register read 0 was in progress while it read 0.
     */
    public void readsOneWhileInProgress(Session session) {
        Workload w = QueueReset.start(session);
        Transport t = w.driver().transport();
        int index = w.queue().index();
        t.resetQueue(index);
        Assumptions.assumeTrue(awaitZero(t, index, w.driver().deadline()),
                reset + " never read 0, so no read of it can have been early");
        boolean readyThen = t.queueReady(index);
        int maxThen = t.queueMaxSize(index);
        Interrupts.settle();
        Check.equal(enable + " of queue " + index + " " + Interrupts.SETTLE_MILLIS + " ms after " + reset
                + " read 0 (what it read at that moment)", bit(readyThen), bit(t.queueReady(index)));
        Check.equal("maximum size of queue " + index + " " + Interrupts.SETTLE_MILLIS + " ms after " + reset
                + " read 0 (what it read at that moment)", maxThen, t.queueMaxSize(index));
    }

    /** A reset must end with both the reset and the enable register at 0; the latter gets a while to catch up. */
    public void bothReadZeroOnceComplete(Session session) {
        Workload w = QueueReset.start(session);
        Transport t = w.driver().transport();
        int index = w.queue().index();
        t.resetQueue(index);
        Deadline deadline = w.driver().deadline();
        Check.that(awaitZero(t, index, deadline), reset + " of queue " + index + " after 1 was written to it",
                "0 within " + deadline.budget().toMillis() + " ms", "1 throughout");
        if (t.queueReady(index)) {
            // An enable register behind a reset register that read 0 early is the in-progress rule's concern.
            Interrupts.settle();
        }
        Check.equal(enable + " of queue " + index + " once " + reset + " read 0", "0", bit(t.queueReady(index)));
    }

    /** Polls the reset register until it reads 0; false when it still read 1 at the deadline. */
    private static boolean awaitZero(Transport t, int queue, Deadline deadline) {
        for (int attempt = 0; t.queueResetPending(queue); attempt++) {
            if (deadline.expired()) {
                return false;
            }
            Deadline.pause(attempt);
        }
        return true;
    }
}
