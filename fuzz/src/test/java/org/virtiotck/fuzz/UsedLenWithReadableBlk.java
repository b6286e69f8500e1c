package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.List;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A faulty blk device for the fuzzer's power test: it reports as used len the bytes it wrote plus every
 * device-readable byte of the chain (header and OUT data), as if len counted the whole buffer.
 */
public final class UsedLenWithReadableBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-used-len-with-readable?transport=mmio&ring=split";

    public UsedLenWithReadableBlk() {
        super("fuzz-blk-used-len-with-readable");
    }

    @Override
    public VirtioDevice create() {
        return wrappingQueues(queue -> new ForwardingQueue(queue) {
            @Override
            public void push(DescriptorChain chain, long usedLen) {
                super.push(chain, usedLen + chain.readableLength());
            }

            @Override
            public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
                super.pushBatch(chains, lastUsedLen + chains.get(chains.size() - 1).readableLength());
            }
        });
    }
}
