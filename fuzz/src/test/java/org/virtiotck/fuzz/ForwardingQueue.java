package org.virtiotck.fuzz;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;

/** A device queue that passes everything on: faulty devices override what they get wrong. */
class ForwardingQueue implements DeviceQueue {
    private final DeviceQueue queue;

    ForwardingQueue(DeviceQueue queue) {
        this.queue = queue;
    }

    @Override
    public GuestMemory memory() {
        return queue.memory();
    }

    @Override
    public RingFeatures features() {
        return queue.features();
    }

    @Override
    public Optional<DescriptorChain> pop() {
        return queue.pop();
    }

    @Override
    public void push(DescriptorChain chain, long usedLen) {
        queue.push(chain, usedLen);
    }

    @Override
    public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
        queue.pushBatch(chains, lastUsedLen);
    }

    @Override
    public int usedIdx() {
        return queue.usedIdx();
    }

    @Override
    public boolean takeUsedNotification() {
        return queue.takeUsedNotification();
    }
}
