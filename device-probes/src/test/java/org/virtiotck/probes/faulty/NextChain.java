package org.virtiotck.probes.faulty;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.driver.ring.split.SplitLayout;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.PackedDeviceQueue;
import org.virtiotck.harness.inproc.SplitDeviceQueue;

/**
 * The ring descriptors of the chain a queue would pop next, read the way a device that trusts the driver reads
 * them (NEXT links, or consecutive packed slots; nothing else checked, walk bounded by the queue size), so that a
 * faulty device can look at or rewrite them before the real queue walks the chain. {@code laps} holds, for a
 * packed ring, the driver wrap counter each slot's AVAIL bit must match.
 */
record NextChain(GuestMemory memory, List<Long> descriptors, int flagsOffset, List<Boolean> laps) {

    /** Split and packed descriptors both hold addr at 0 and len at 8; only the flags move. */
    static final int ADDR = 0;
    static final int LEN = 8;

    static NextChain of(DeviceQueue queue) {
        if (queue instanceof SplitDeviceQueue s) {
            return split(s);
        }
        if (queue instanceof PackedDeviceQueue p) {
            return packed(p);
        }
        throw new IllegalArgumentException("unknown queue layout " + queue);
    }

    private static NextChain split(SplitDeviceQueue q) {
        GuestMemory m = q.memory();
        List<Long> out = new ArrayList<>();
        if (m.u16(q.driverArea() + SplitLayout.RING_IDX) != q.lastAvail()) {
            int index = m.u16(q.driverArea() + SplitLayout.RING_ENTRIES + 2L * (q.lastAvail() % q.size()));
            while (index < q.size() && out.size() < q.size()) {
                long d = q.descriptorArea() + (long) SplitLayout.DESC_SIZE * index;
                out.add(d);
                if ((m.u16(d + 12) & SplitLayout.F_NEXT) == 0) {
                    break;
                }
                index = m.u16(d + 14);
            }
        }
        return new NextChain(m, out, 12, List.of());
    }

    private static NextChain packed(PackedDeviceQueue q) {
        GuestMemory m = q.memory();
        List<Long> out = new ArrayList<>();
        List<Boolean> laps = new ArrayList<>();
        int slot = q.nextAvail();
        boolean wrap = q.availWrapCounter();
        long head = q.descriptorArea() + (long) PackedLayout.DESC_SIZE * slot;
        if (PackedLayout.isAvailable(m.u16(head + PackedLayout.DESC_FLAGS), wrap)) {
            while (out.size() < q.size()) {
                long d = q.descriptorArea() + (long) PackedLayout.DESC_SIZE * slot;
                out.add(d);
                laps.add(wrap);
                if ((m.u16(d + PackedLayout.DESC_FLAGS) & PackedLayout.F_NEXT) == 0) {
                    break;
                }
                if (++slot == q.size()) {
                    slot = 0;
                    wrap = !wrap;
                }
            }
        }
        return new NextChain(m, out, PackedLayout.DESC_FLAGS, laps);
    }

    boolean isEmpty() {
        return descriptors.isEmpty();
    }

    long addr(int i) {
        return memory.u64(descriptors.get(i) + ADDR);
    }

    long len(int i) {
        return memory.u32(descriptors.get(i) + LEN);
    }

    int flags(int i) {
        return memory.u16(descriptors.get(i) + flagsOffset);
    }

    /** Guest address of descriptor i's flags. */
    long flagsAt(int i) {
        return descriptors.get(i) + flagsOffset;
    }
}
