package org.virtiotck.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A faulty blk device that proves the mutation judge watches guest memory past the allocator's buffers: on a split
 * ring, a buffer that runs past the end of guest memory is cut to the part inside it instead of being refused (the
 * len rewritten in guest memory while it pops, then put back), so a status buffer straddling the end gets the
 * status in the last byte of guest memory.
 */
public final class ClampsToGuestMemoryBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-clamps-to-memory?transport=mmio&ring=split";

    public ClampsToGuestMemoryBlk() {
        super("fuzz-blk-clamps-to-memory");
    }

    @Override
    public VirtioDevice create() {
        return poppingSplitChainsWith(ClampsToGuestMemoryBlk::popClamped);
    }

    private static Optional<DescriptorChain> popClamped(SplitDeviceQueue s) {
        GuestMemory m = s.memory();
        long end = m.base() + m.size();
        List<long[]> restore = new ArrayList<>();
        for (long d : SplitChainPeek.descriptors(s, s.size())) {
            long addr = m.u64(d);
            long len = m.u32(d + 8);
            if (addr >= m.base() && addr < end && addr + len > end) {
                restore.add(new long[] {d + 8, len});
                m.putU32(d + 8, end - addr);
            }
        }
        try {
            return s.pop();
        } finally {
            for (long[] r : restore) {
                m.putU32(r[0], r[1]);
            }
        }
    }
}
