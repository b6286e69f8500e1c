package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * A packed ring descriptor belongs to the device only once its AVAIL bit says so (VIRTIO 1.2 §2.8.15). Through the
 * raw ring, a complete request is written into the next slots with the flags of a descriptor that is not available
 * in this lap, as a driver still filling them in would leave them; the device is notified and must leave it alone.
 * Every device type.
 */
class AvailBitProbes {

    @Probe
    @Clause(section = "2.8.15", label = "device uses a descriptor only after seeing its AVAIL bit change", level = Level.MUST)
    void descriptorsWithoutTheAvailBitAreLeftAlone(Session session) {
        Workload w = Workload.start(session);
        PackedVirtqueue q = HandPlacedRequest.packedQueueInUse(w);
        HandPlacedRequest.Position next = HandPlacedRequest.nextAvailable(q);
        int slot = next.slot();
        boolean wrap = next.wrap();
        Workload.Request r = w.request();
        HandPlacedRequest placed = HandPlacedRequest.write(q, slot, r, usedBits(!wrap));
        PackedDescriptor head = placed.notifyAndTakeBack(w.driver().transport(), q.index());
        Check.that((head.flags() & (F_AVAIL | F_USED)) == usedBits(!wrap), "head descriptor in ring slot " + slot
                + " (driver wrap counter " + (wrap ? 1 : 0) + ") written with AVAIL and USED " + (wrap ? 0 : 1)
                + ", then notified", "left as written", head.toString());
        Check.that(r.writableUntouched(session.memory()), "device-writable bytes of that request", "all unwritten",
                "some written");
        Workload.Request after = w.request();
        w.driver().submit(q, after.readable(), after.writable());
    }
}
