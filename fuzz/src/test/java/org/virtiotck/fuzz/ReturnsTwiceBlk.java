package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingQueue;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.VirtioDevice;

/** A faulty blk device that returns every request twice: two used entries for one buffer made available. */
public final class ReturnsTwiceBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-returns-twice?transport=mmio&ring=split";

    public ReturnsTwiceBlk() {
        super("fuzz-blk-returns-twice");
    }

    @Override
    public VirtioDevice create() {
        return wrappingQueues(queue -> new ForwardingQueue(queue) {
            @Override
            public void push(DescriptorChain chain, long usedLen) {
                super.push(chain, usedLen);
                super.push(chain, usedLen);
            }
        });
    }
}
