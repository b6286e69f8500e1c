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
        Assumptions.assumeTrue(w.queue() instanceof PackedVirtqueue, "a packed ring clause; this variant uses a split ring");
        PackedVirtqueue q = (PackedVirtqueue) w.queue();
        Workload.Request first = w.request();
        w.driver().submit(q, first.readable(), first.writable());

        RawPackedRing raw = q.raw();
        int offWrap = q.nextUsedOffWrap();    // nothing in flight: also where the driver makes the next buffer available
        int slot = offWrap & 0x7fff;
        boolean wrap = (offWrap & 0x8000) != 0;
        Workload.Request r = w.request();
        List<Buffer> buffers = new ArrayList<>(r.readable());
        buffers.addAll(r.writable());
        Assumptions.assumeTrue(slot + buffers.size() <= q.size(), "the request would wrap around the ring end");
        PackedDescriptor[] before = new PackedDescriptor[buffers.size()];
        for (int i = 0; i < buffers.size(); i++) {
            before[i] = raw.descriptor(slot + i);
            Buffer b = buffers.get(i);
            int flags = (i < buffers.size() - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0) | usedBits(!wrap);
            raw.descriptor(slot + i, new PackedDescriptor(b.address(), b.length(), q.size() - 1, flags));
        }
        w.driver().transport().notifyQueue(q.index());
        Interrupts.settle();
        PackedDescriptor head = raw.descriptor(slot);
        // Put back what the driver had there, so its shadow of the ring still matches, before judging.
        for (int i = 0; i < before.length; i++) {
            raw.descriptor(slot + i, before[i]);
        }
        Check.that((head.flags() & (F_AVAIL | F_USED)) == usedBits(!wrap), "head descriptor in ring slot " + slot
                + " (driver wrap counter " + (wrap ? 1 : 0) + ") written with AVAIL and USED " + (wrap ? 0 : 1)
                + ", then notified", "left as written", head.toString());
        Check.that(r.writableUntouched(session.memory()), "device-writable bytes of that request", "all unwritten",
                "some written");
        Workload.Request after = w.request();
        w.driver().submit(q, after.readable(), after.writable());
    }
}
