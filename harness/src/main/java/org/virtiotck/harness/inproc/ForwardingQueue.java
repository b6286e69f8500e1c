package org.virtiotck.harness.inproc;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.RingFeatures;

/** A device queue that forwards everything to the real one; a faulty device overrides the part it gets wrong. */
public class ForwardingQueue implements DeviceQueue {
    protected final DeviceQueue real;

    public ForwardingQueue(DeviceQueue real) {
        this.real = real;
    }

    @Override
    public GuestMemory memory() {
        return real.memory();
    }

    @Override
    public RingFeatures features() {
        return real.features();
    }

    @Override
    public Optional<DescriptorChain> pop() {
        return real.pop();
    }

    @Override
    public void push(DescriptorChain chain, long usedLen) {
        real.push(chain, usedLen);
    }

    @Override
    public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
        real.pushBatch(chains, lastUsedLen);
    }

    @Override
    public int usedIdx() {
        return real.usedIdx();
    }

    @Override
    public boolean takeUsedNotification() {
        return real.takeUsedNotification();
    }
}
