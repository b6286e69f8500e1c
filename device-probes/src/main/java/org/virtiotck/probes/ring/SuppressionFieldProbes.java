package org.virtiotck.probes.ring;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.Feature;
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
 * Which of the split ring's two suppression fields counts (VIRTIO 1.2 §2.7.7.2): the avail ring flag without
 * EVENT_IDX, used_event with it, never the other one. Each probe sets the field that must not count so that it
 * would suppress the notification, and expects the notification anyway. Every device type.
 */
class SuppressionFieldProbes {

    private static SplitVirtqueue split(Workload w) {
        Assumptions.assumeTrue(w.queue() instanceof SplitVirtqueue, "a split ring clause; this variant uses a packed ring");
        return (SplitVirtqueue) w.queue();
    }

    private static boolean notifiedAfterOneRequest(Workload w) {
        Transport t = w.driver().transport();
        t.takeInterrupts();
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        return Interrupts.await(t, w.driver().deadline(), Interrupts.USED_BUFFER);
    }

    @Probe
    @Clause(section = "2.7.7.2", label = "without EVENT_IDX, device ignores used_event", level = Level.MUST)
    void usedEventIgnoredWithoutEventIdx(Session session) {
        Workload w = Workload.start(session, Devices.DRIVER_SUPPORTS.without(Feature.EVENT_IDX));
        Assumptions.assumeFalse(w.driver().negotiated().has(Feature.EVENT_IDX), "the target requires EVENT_IDX");
        SplitVirtqueue q = split(w);
        for (int i = 0; i < 3; i++) {
            // Under EVENT_IDX this would hold notifications back for ten more used entries.
            int usedEvent = (q.lastUsedIdx() + 10) & 0xffff;
            q.setUsedEvent(usedEvent);
            Check.that(notifiedAfterOneRequest(w), "used buffer interrupt after request " + (i + 1)
                    + ", avail flags 0 and used_event " + usedEvent + " (EVENT_IDX not negotiated)",
                    "a used buffer notification", "none within the deadline");
        }
    }

    @Probe
    @Clause(section = "2.7.7.2", label = "with EVENT_IDX, device ignores the low bit of the available ring flags", level = Level.MUST)
    void availFlagIgnoredWithEventIdx(Session session) {
        Workload w = Workload.start(session);
        Assumptions.assumeTrue(w.driver().negotiated().has(Feature.EVENT_IDX), "device or target without EVENT_IDX");
        SplitVirtqueue q = split(w);
        // The driver model keeps avail flags at 0 under EVENT_IDX; set NO_INTERRUPT behind its back, and put
        // it back before the end so the driver's shadow of the avail ring still matches.
        q.raw().availFlags(1);
        try {
            for (int i = 0; i < 3; i++) {
                q.setUsedEvent(q.lastUsedIdx());
                Check.that(notifiedAfterOneRequest(w), "used buffer interrupt after request " + (i + 1)
                        + ", used_event naming its entry and avail flags 1 (EVENT_IDX negotiated)",
                        "a used buffer notification", "none within the deadline");
            }
        } finally {
            q.raw().availFlags(0);
        }
    }
}
