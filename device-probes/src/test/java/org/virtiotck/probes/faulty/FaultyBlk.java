package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Base of the deliberately faulty blk devices: the reference device with one deviation planted, named
 * "faulty-blk-&lt;fault&gt;" in target strings. Never a reference device, so {@code inproc} alone skips them.
 */
abstract class FaultyBlk implements InprocDeviceProvider {
    static final long CAPACITY = BlkDeviceProvider.CAPACITY_SECTORS;
    static final String SERIAL = BlkDeviceProvider.SERIAL;

    private final String fault;

    FaultyBlk(String fault) {
        this.fault = fault;
    }

    @Override
    public String name() {
        return "faulty-blk-" + fault;
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public boolean reference() {
        return false;
    }

    /** The reference blk device; faults in the device logic override it. */
    @Override
    public VirtioDevice create() {
        return new BlkDevice(CAPACITY, SERIAL, false);
    }

    /** The reference blk device, taking every chain it pops through {@code change} first. */
    static VirtioDevice changingChains(UnaryOperator<DescriptorChain> change) {
        return changingQueues(queue -> new ForwardingQueue(queue) {
            @Override
            public Optional<DescriptorChain> pop() {
                return real.pop().map(change);
            }
        });
    }

    /** The reference blk device, serving every queue through what {@code change} makes of it. */
    static VirtioDevice changingQueues(UnaryOperator<DeviceQueue> change) {
        return new BlkDevice(CAPACITY, SERIAL, false) {
            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                super.process(queueIndex, change.apply(queue));
            }
        };
    }
}
