package org.virtiotck.fuzz;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.ForwardingQueue;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/** A deliberately faulty in-process blk device of the fuzzer's power tests, under its own target name. */
abstract class PowerTestBlk implements InprocDeviceProvider {
    private final String name;

    PowerTestBlk(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public boolean reference() {
        return false;
    }

    /** The reference blk device, working each queue through what {@code wrap} makes of it. */
    static VirtioDevice wrappingQueues(UnaryOperator<DeviceQueue> wrap) {
        return new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false) {
            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                super.process(queueIndex, wrap.apply(queue));
            }
        };
    }

    /** The reference blk device, except that it takes chains off a split ring with {@code pop}. */
    static VirtioDevice poppingSplitChainsWith(Function<SplitDeviceQueue, Optional<DescriptorChain>> pop) {
        return wrappingQueues(queue -> queue instanceof SplitDeviceQueue s ? new ForwardingQueue(s) {
            @Override
            public Optional<DescriptorChain> pop() {
                return pop.apply(s);
            }
        } : queue);
    }
}
