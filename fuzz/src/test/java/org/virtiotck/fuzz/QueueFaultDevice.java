package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingDevice;
import java.util.function.UnaryOperator;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/** A reference device that sees one of its queues through a faulty wrapper. */
final class QueueFaultDevice extends ForwardingDevice {
    private final int faultyQueue;
    private final UnaryOperator<DeviceQueue> wrap;

    QueueFaultDevice(VirtioDevice real, int faultyQueue, UnaryOperator<DeviceQueue> wrap) {
        super(real);
        this.faultyQueue = faultyQueue;
        this.wrap = wrap;
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        super.process(queueIndex, queueIndex == faultyQueue ? wrap.apply(queue) : queue);
    }
}
