package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.function.LongUnaryOperator;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;

/** A device queue that reports a changed used len for every chain, the bytes written left as they are. */
final class UsedLenQueue extends ForwardingQueue {
    private final LongUnaryOperator change;

    UsedLenQueue(DeviceQueue real, LongUnaryOperator change) {
        super(real);
        this.change = change;
    }

    @Override
    public void push(DescriptorChain chain, long usedLen) {
        super.push(chain, change.applyAsLong(usedLen));
    }
}
