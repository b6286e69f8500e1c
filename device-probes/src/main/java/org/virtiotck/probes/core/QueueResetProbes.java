package org.virtiotck.probes.core;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.QueueReset;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Resetting one virtqueue and re-enabling it (VIRTIO 1.2 §2.6.1, VIRTIO_F_RING_RESET), on the request queue of
 * every device type through its workload request, in both ring layouts. The reset goes through whatever register
 * the transport has for it; the clauses here are about what the device does with the queue afterwards.
 */
class QueueResetProbes {
    /** Requests completed before a reset, so the queue's available and used positions are away from 0. */
    private static final int BEFORE_RESET = 3;

    /**
     * Makes a request available without notifying, resets its queue, takes the interrupt causes pending by then,
     * and notifies the reset queue, giving the device time to act on it. SKIP when the device served the request
     * before the reset completed, which it may: then nothing is left to judge.
     */
    private static Workload.Request notifiedAfterItsReset(Workload w, Session session) {
        VirtioDriver driver = w.driver();
        Virtqueue q = w.queue();
        Workload.Request r = w.request();
        q.add(r.readable(), r.writable());
        driver.resetQueue(q.index());
        Assumptions.assumeTrue(q.poll().isEmpty() && r.writableUntouched(session.memory()),
                "the device served the request before its queue reset completed");
        driver.transport().takeInterrupts();
        driver.transport().notifyQueue(q.index());
        Interrupts.settle();
        return r;
    }

    @Probe
    @Clause(section = "2.6.1.1.1", label = "after a queue reset, device executes no request from that queue", level = Level.MUST)
    void noRequestExecutedAfterQueueReset(Session session) {
        Workload w = QueueReset.start(session);
        Workload.Request r = notifiedAfterItsReset(w, session);
        Check.that(w.queue().poll().isEmpty(), "old ring of queue " + w.queue().index()
                + " after a request made available before its reset was notified after it", "no used buffer", "a used buffer");
        Check.that(r.writableUntouched(session.memory()), "device-writable bytes of that request", "all unwritten",
                "some written");
    }

    @Probe
    @Clause(section = "2.6.1.1.1", label = "after a queue reset, device sends no notification for that queue", level = Level.MUST)
    void noNotificationAfterQueueReset(Session session) {
        Workload w = QueueReset.start(session);
        notifiedAfterItsReset(w, session);
        int causes = w.driver().transport().takeInterrupts();
        Check.that((causes & Interrupts.USED_BUFFER) == 0, "interrupt causes after queue " + w.queue().index()
                + " was reset and then notified of a request made available before the reset", "no used buffer notification",
                Interrupts.describe(causes));
    }

    @Probe
    @Clause(section = "2.6.1.1.1", label = "a queue reset returns the queue's available and used state to the defaults",
            level = Level.MUST)
    void queueResetReturnsRingStateToDefaults(Session session) {
        Workload w = QueueReset.start(session);
        VirtioDriver driver = w.driver();
        Virtqueue old = w.queue();
        for (int i = 0; i < BEFORE_RESET; i++) {
            Workload.Request r = w.request();
            driver.submit(old, r.readable(), r.writable());
        }
        driver.resetQueue(old.index());
        // Same size, fresh ring: the driver starts again at position 0 (wrap counters 1 on a packed ring).
        Virtqueue fresh = driver.setupQueue(old.index(), old.size());
        QueueReset.serveOneByOne(w, fresh, 2, "re-enabled with a fresh ring after " + BEFORE_RESET + " requests and a queue reset");
    }

    @Probe
    @Clause(section = "2.6.1.2.1", label = "a re-enabled queue uses the configuration the driver wrote after its reset (e.g. queue size)",
            level = Level.MUST)
    void reEnabledQueueUsesTheNewSize(Session session) {
        Workload w = QueueReset.start(session);
        VirtioDriver driver = w.driver();
        Virtqueue old = w.queue();
        Assumptions.assumeTrue(old.size() >= 8, "queue size " + old.size() + " leaves no smaller size worth trying");
        driver.resetQueue(old.index());
        int size = old.size() / 4;
        Virtqueue fresh = driver.setupQueue(old.index(), size);
        // More requests than the new size: only a device using the new size wraps where the driver does.
        QueueReset.serveOneByOne(w, fresh, size + 2, "re-enabled with size " + size + " (was " + old.size() + ")");
    }
}
