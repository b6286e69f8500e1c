package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
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
        Assumptions.assumeTrue(w.queue() instanceof PackedVirtqueue, "a packed ring clause; this variant uses a split ring");
        PackedVirtqueue q = (PackedVirtqueue) w.queue();
        Workload.Request first = w.request();
        w.driver().submit(q, first.readable(), first.writable());

        RawPackedRing raw = q.raw();
        int offWrap = q.nextUsedOffWrap();    // nothing in flight: also where the driver makes the next buffer available
        int next = offWrap & 0x7fff;
        boolean wrap = (offWrap & 0x8000) != 0;
        Workload.Request earlier = w.request();
        Workload.Request later = w.request();
        int slot = next + earlier.descriptors();
        List<Buffer> buffers = new ArrayList<>(later.readable());
        buffers.addAll(later.writable());
        Assumptions.assumeTrue(slot + buffers.size() <= q.size(), "the request would wrap around the ring end");
        PackedDescriptor[] before = new PackedDescriptor[buffers.size()];
        // The head last, as a driver does, so the device never sees part of the list (§2.8.17).
        for (int i = buffers.size() - 1; i >= 0; i--) {
            before[i] = raw.descriptor(slot + i);
            Buffer b = buffers.get(i);
            int flags = (i < buffers.size() - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0) | availBits(wrap);
            raw.publish(slot + i, new PackedDescriptor(b.address(), b.length(), q.size() - 1, flags));
        }
        int headFlags = raw.flags(slot);
        w.driver().transport().notifyQueue(q.index());
        Interrupts.settle();
        PackedDescriptor head = raw.descriptor(slot);
        // Put back what the driver had there, so its shadow of the ring still matches, before judging.
        for (int i = 0; i < before.length; i++) {
            raw.descriptor(slot + i, before[i]);
        }
        String situation = "request made available at ring slot " + slot + " (driver wrap counter " + (wrap ? 1 : 0)
                + ") while slots " + next + "-" + (slot - 1) + " before it are not, then notified";
        Check.that(head.flags() == headFlags, "head descriptor of a " + situation,
                "left as written (flags 0x" + Integer.toHexString(headFlags) + ")", head.toString());
        Check.that(later.writableUntouched(session.memory()), "device-writable bytes of a " + situation,
                "all unwritten", "some written");
        w.driver().submit(q, earlier.readable(), earlier.writable());
    }
}
