package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A faulty blk device for the fuzzer's power test: it follows a split chain's NEXT links (indices modulo the
 * size) with no bound of its own, so a chain that loops keeps it walking. It gives up only after a million
 * descriptors, and its queue thread is then stuck for good: it serves nothing more, not even after a reset. (The
 * bound keeps the test JVM's thread, on which the in-process device runs, from spinning forever; the short
 * timeout of its target keeps the liveness oracle quick.)
 */
public final class FollowsLoopsBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-follows-loops?transport=mmio&ring=split&timeout=250ms";
    private static final int GIVES_UP_AFTER = 1_000_000;

    public FollowsLoopsBlk() {
        super("fuzz-blk-follows-loops");
    }

    @Override
    public VirtioDevice create() {
        return new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false) {
            private boolean stuck;

            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                if (stuck) {
                    return;
                }
                if (queue instanceof SplitDeviceQueue s && SplitChainPeek.descriptors(s, s.size() + 1).size() > s.size()) {
                    SplitChainPeek.descriptors(s, GIVES_UP_AFTER);
                    stuck = true;
                    return;
                }
                super.process(queueIndex, queue);
            }
        };
    }
}
