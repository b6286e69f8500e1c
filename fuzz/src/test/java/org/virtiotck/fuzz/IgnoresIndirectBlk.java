package org.virtiotck.fuzz;

import static org.virtiotck.driver.ring.split.SplitLayout.F_INDIRECT;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A faulty blk device for the fuzzer's power test: it offers and negotiates INDIRECT_DESC, but takes a split ring
 * descriptor with INDIRECT for a plain buffer of the kind its WRITE flag says (it clears the bit in guest memory
 * while it pops, then puts it back). A well-formed indirect request becomes one buffer holding the table, which
 * it cannot serve; a status descriptor with INDIRECT set gets the status written into it.
 */
public final class IgnoresIndirectBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-ignores-indirect?transport=mmio&ring=split";

    public IgnoresIndirectBlk() {
        super("fuzz-blk-ignores-indirect");
    }

    @Override
    public VirtioDevice create() {
        return poppingSplitChainsWith(IgnoresIndirectBlk::popIgnoringIndirect);
    }

    private static Optional<DescriptorChain> popIgnoringIndirect(SplitDeviceQueue s) {
        GuestMemory m = s.memory();
        List<long[]> restore = new ArrayList<>();
        for (long d : SplitChainPeek.descriptors(s, s.size())) {
            int flags = m.u16(d + 12);
            if ((flags & F_INDIRECT) != 0) {
                restore.add(new long[] {d + 12, flags});
                m.putU16(d + 12, flags & ~F_INDIRECT);
            }
        }
        try {
            return s.pop();
        } finally {
            for (long[] r : restore) {
                m.putU16(r[0], (int) r[1]);
            }
        }
    }
}
