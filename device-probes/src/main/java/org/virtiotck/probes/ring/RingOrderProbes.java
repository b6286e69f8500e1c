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
 * A packed ring device starts processing available descriptors in the order they appear in the ring (VIRTIO 1.2
 * §2.8.12): it goes on from the slot after the last chain it took, and from nowhere else. Through the raw ring, a
 * complete request is made available one request further on, with the slots before it left not available in this
 * lap, as a driver making a batch available last to first leaves them for a moment. The device is notified and
 * must not take the later request while the slots before it are not available. Every device type.
 *
 * <p>What the device does once its buffers complete is not judged: the order of completion is the device's own
 * (the second MUST of §2.8.12 orders used descriptors by completion, which no driver can observe in general).
 */
class RingOrderProbes {

    @Probe
    @Clause(section = "2.8.12", label = "device starts processing available descriptors in ring order", level = Level.MUST)
    void laterRequestWaitsForTheSlotsBeforeIt(Session session) {
        Workload w = Workload.start(session);
        PackedVirtqueue q = HandPlacedRequest.packedQueueInUse(w);
        HandPlacedRequest.Position next = HandPlacedRequest.nextAvailable(q);
        boolean wrap = next.wrap();
        Workload.Request earlier = w.request();
        Workload.Request later = w.request();
        int slot = next.slot() + earlier.descriptors();
        HandPlacedRequest placed = HandPlacedRequest.write(q, slot, later, availBits(wrap));
        PackedDescriptor head = placed.notifyAndTakeBack(w.driver().transport(), q.index());
        String situation = "request made available at ring slot " + slot + " (driver wrap counter " + (wrap ? 1 : 0)
                + ") while slots " + next.slot() + "-" + (slot - 1) + " before it are not, then notified";
        Check.that(head.flags() == placed.headFlags(), "head descriptor of a " + situation,
                "left as written (flags 0x" + Integer.toHexString(placed.headFlags()) + ")", head.toString());
        Check.that(later.writableUntouched(session.memory()), "device-writable bytes of a " + situation,
                "all unwritten", "some written");
        w.driver().submit(q, earlier.readable(), earlier.writable());
    }
}
