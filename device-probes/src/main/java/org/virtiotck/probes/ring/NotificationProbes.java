package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.packed.PackedLayout.EVENT_DESC;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
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
 * Used buffer notifications and their suppression (VIRTIO 1.2 §2.7.7.2 for split rings; §2.8.10 describes the
 * packed equivalent): without EVENT_IDX by the driver's flag, with it by the event index. Runs on every device
 * type, one request at a time, reading the transport's interrupt status after each completion.
 */
class NotificationProbes {
    private static Workload withoutEventIdx(Session session) {
        Workload w = Workload.start(session, Devices.DRIVER_SUPPORTS.without(Feature.EVENT_IDX));
        Assumptions.assumeFalse(w.driver().negotiated().has(Feature.EVENT_IDX),
                "the target requires EVENT_IDX; this clause is about notifications without it");
        return w;
    }

    private static Workload withEventIdx(Session session) {
        Workload w = Workload.start(session);
        Assumptions.assumeTrue(w.driver().negotiated().has(Feature.EVENT_IDX), "device or target without EVENT_IDX");
        return w;
    }

    /** Submits one request and waits for it; true when a used buffer interrupt came (waiting for one up to the deadline if asked). */
    private static boolean oneRequest(Workload w, boolean waitForInterrupt) {
        Transport t = w.driver().transport();
        t.takeInterrupts();
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        if (waitForInterrupt) {
            return Interrupts.await(t, w.driver().deadline(), Interrupts.USED_BUFFER);
        }
        return (t.takeInterrupts() & Interrupts.USED_BUFFER) != 0;
    }

    /** Submits one request, waits for it, gives a remote device time to notify, and says whether it did. */
    private static boolean settledRequest(Workload w) {
        Transport t = w.driver().transport();
        t.takeInterrupts();
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        Interrupts.settle();
        return (t.takeInterrupts() & Interrupts.USED_BUFFER) != 0;
    }

    /** Asks for a notification only when the device writes the used entry {@code ahead} entries from now (0: the next). */
    private static void eventAhead(Virtqueue q, int ahead, int slotsPerRequest) {
        if (q instanceof SplitVirtqueue split) {
            split.setUsedEvent(split.lastUsedIdx() + ahead);
        } else {
            PackedVirtqueue packed = (PackedVirtqueue) q;
            int offWrap = packed.nextUsedOffWrap();
            int slot = (offWrap & 0x7fff) + ahead * slotsPerRequest;
            boolean wrap = (offWrap & 0x8000) != 0;
            if (slot >= q.size()) {
                slot -= q.size();
                wrap = !wrap;
            }
            packed.setDriverEvent(slot | (wrap ? 0x8000 : 0), EVENT_DESC);
        }
    }

    private static int slotsPerRequest(Workload w) {
        int n = w.request().descriptors();
        return w.queue().features().indirect() && n > 1 ? 1 : n;
    }

    @Probe
    @Clause(section = "2.7.7.2", packedSection = "2.8.10", label = "device notifies after using a buffer when the driver did not suppress notifications",
            level = Level.MUST)
    void notifiesWhenNotSuppressed(Session session) {
        Workload w = withoutEventIdx(session);
        for (int i = 0; i < 3; i++) {
            Check.that(oneRequest(w, true), "used buffer interrupt after request " + (i + 1) + " with notifications enabled",
                    "a used buffer notification", "none within the deadline");
        }
    }

    @Probe
    @Clause(section = "2.7.7.2", packedSection = "2.8.10", label = "device sends no used buffer notification while the driver's flags suppress them",
            level = Level.SHOULD)
    void quietWhileFlagsSuppress(Session session) {
        Workload w = withoutEventIdx(session);
        w.queue().disableUsedNotifications();
        for (int i = 0; i < 3; i++) {
            Check.that(!settledRequest(w), "interrupt status after request " + (i + 1) + " with notifications disabled",
                    "no used buffer notification", "a used buffer notification");
        }
    }

    @Probe
    @Clause(section = "2.7.7.2", packedSection = "2.8.10", label = "with EVENT_IDX the device notifies when it writes the used entry the driver's event index names",
            level = Level.MUST)
    void notifiesAtTheEventIndex(Session session) {
        Workload w = withEventIdx(session);
        int slots = slotsPerRequest(w);
        eventAhead(w.queue(), 2, slots);
        oneRequest(w, false);
        oneRequest(w, false);
        Check.that(oneRequest(w, true), "used buffer interrupt for the third request, whose used entry the event index names",
                "a used buffer notification", "none within the deadline");
    }

    @Probe
    @Clause(section = "2.7.7.2", packedSection = "2.8.10", label = "with EVENT_IDX the device sends no notification before it reaches the event index",
            level = Level.SHOULD)
    void quietBeforeTheEventIndex(Session session) {
        Workload w = withEventIdx(session);
        eventAhead(w.queue(), 3, slotsPerRequest(w));
        // All three are judged together, so the report tells a device that ignores the index from one that
        // notifies once after its ring started (and would not know what it had signalled before).
        List<Integer> notified = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            if (settledRequest(w)) {
                notified.add(i);
            }
        }
        Check.that(notified.isEmpty(), "interrupt status after requests 1, 2 and 3 of 4, the event index naming the 4th",
                "no used buffer notification", "a used buffer notification after request(s) " + notified);
    }
}
