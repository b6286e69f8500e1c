package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;

/**
 * A request a probe writes by hand into packed ring slots the driver has not handed out, with the AVAIL and USED
 * bits it chooses, to see what the device makes of it. After the device has been notified and has had time to
 * act, the slots get back what the driver had there, so the driver's shadow of its ring still matches.
 */
final class HandPlacedRequest {
    private final RawPackedRing raw;
    private final int slot;
    private final PackedDescriptor[] before;
    private final int headFlags;

    private HandPlacedRequest(RawPackedRing raw, int slot, PackedDescriptor[] before, int headFlags) {
        this.raw = raw;
        this.slot = slot;
        this.before = before;
        this.headFlags = headFlags;
    }

    /** The workload's queue, which must be packed, after one request went through it in the ordinary way. */
    static PackedVirtqueue packedQueueInUse(Workload w) {
        Assumptions.assumeTrue(w.queue() instanceof PackedVirtqueue, "a packed ring clause; this variant uses a split ring");
        PackedVirtqueue q = (PackedVirtqueue) w.queue();
        Workload.Request first = w.request();
        w.driver().submit(q, first.readable(), first.writable());
        return q;
    }

    /** A ring slot and the driver ring wrap counter of the lap it is in. */
    record Position(int slot, boolean wrap) {
    }

    /** Where the driver makes its next buffer available; with nothing in flight, also where the device next writes. */
    static Position nextAvailable(PackedVirtqueue q) {
        int offWrap = q.nextUsedOffWrap();
        return new Position(offWrap & 0x7fff, (offWrap & 0x8000) != 0);
    }

    /**
     * Writes {@code r} from ring slot {@code slot} on, head last as a driver does (§2.8.17), each descriptor with
     * {@code availUsed} as its AVAIL and USED bits and a buffer id the driver never uses.
     */
    static HandPlacedRequest write(PackedVirtqueue q, int slot, Workload.Request r, int availUsed) {
        List<Buffer> buffers = new ArrayList<>(r.readable());
        buffers.addAll(r.writable());
        Assumptions.assumeTrue(slot + buffers.size() <= q.size(), "the request would wrap around the ring end");
        RawPackedRing raw = q.raw();
        PackedDescriptor[] before = new PackedDescriptor[buffers.size()];
        for (int i = buffers.size() - 1; i >= 0; i--) {
            before[i] = raw.descriptor(slot + i);
            Buffer b = buffers.get(i);
            int flags = (i < buffers.size() - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0) | availUsed;
            raw.publish(slot + i, new PackedDescriptor(b.address(), b.length(), q.size() - 1, flags));
        }
        return new HandPlacedRequest(raw, slot, before, raw.flags(slot));
    }

    /** The flags written into the head descriptor. */
    int headFlags() {
        return headFlags;
    }

    /**
     * Notifies queue {@code queueIndex}, lets the device act, and returns the head descriptor as the device left
     * it; the slots are then given back what the driver had there.
     */
    PackedDescriptor notifyAndTakeBack(Transport t, int queueIndex) {
        t.notifyQueue(queueIndex);
        Interrupts.settle();
        PackedDescriptor head = raw.descriptor(slot);
        for (int i = 0; i < before.length; i++) {
            raw.descriptor(slot + i, before[i]);
        }
        return head;
    }
}
