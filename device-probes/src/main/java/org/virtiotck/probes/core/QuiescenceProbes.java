package org.virtiotck.probes.core;

import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * A device that is not live stays quiet (VIRTIO 1.2 §2.1.2, §2.4.1): before DRIVER_OK, and after a reset until
 * the driver initializes it again, it neither notifies nor touches a virtqueue, however the driver pokes it. Every
 * device type, through its workload request.
 */
class QuiescenceProbes {

    /** Writes 0 to the status and waits for it to read 0, without forgetting the queues as the driver's reset would. */
    private static void resetKeepingRings(Workload w) {
        Transport t = w.driver().transport();
        t.setStatus(0);
        Deadline d = w.driver().deadline();
        for (int attempt = 0; t.status() != 0; attempt++) {
            d.check("read back device status 0 after reset (reads " + DeviceStatus.describe(t.status()) + ")");
            Deadline.pause(attempt);
        }
    }

    /** A live device that has completed one request, then reset; returns the request made available after the reset. */
    private static Workload.Request availableAfterReset(Workload w) {
        Workload.Request first = w.request();
        w.driver().submit(w.queue(), first.readable(), first.writable());
        resetKeepingRings(w);
        w.driver().transport().takeInterrupts();
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        w.driver().transport().notifyQueue(w.queue().index());
        Interrupts.settle();
        return r;
    }

    @Probe
    @Clause(section = "2.1.2", label = "device sends no used buffer notification before DRIVER_OK", level = Level.MUST)
    void noUsedNotificationBeforeDriverOk(Session session) {
        Workload w = Workload.prepare(session, Devices.DRIVER_SUPPORTS);
        Transport t = w.driver().transport();
        t.takeInterrupts();
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        t.notifyQueue(w.queue().index());
        Interrupts.settle();
        int causes = t.takeInterrupts();
        Check.that((causes & Interrupts.USED_BUFFER) == 0, "interrupt causes after a notify before DRIVER_OK",
                "no used buffer notification", Interrupts.describe(causes));
        w.driver().driverOk();
        t.notifyQueue(w.queue().index());
        w.driver().await(w.queue());
    }

    @Probe
    @Clause(section = "2.4.1", label = "after a reset completes, device sends no notification until the driver initializes it again",
            level = Level.MUST)
    void noNotificationAfterReset(Session session) {
        Workload w = Workload.start(session);
        availableAfterReset(w);
        int causes = w.driver().transport().takeInterrupts();
        Check.equal("interrupt causes after a buffer was made available and notified on a reset device",
                Interrupts.describe(0), Interrupts.describe(causes));
    }

    @Probe
    @Clause(section = "2.4.1", label = "after a reset completes, device touches no virtqueue until the driver initializes it again",
            level = Level.MUST)
    void noQueueAccessAfterReset(Session session) {
        Workload w = Workload.start(session);
        Workload.Request r = availableAfterReset(w);
        Check.that(w.queue().poll().isEmpty(), "ring of queue " + w.queue().index()
                + " after a buffer was made available and notified on a reset device", "no used buffer", "a used buffer");
        Check.that(r.writableUntouched(session.memory()), "device-writable bytes of that buffer", "all unwritten",
                "some written");
    }
}
