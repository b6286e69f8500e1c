package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingQueue;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.RngDevice;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty rng for the fuzzer's power test: the reference device, except that every used len claims
 * one byte more than it wrote. Every request shows it, so the shrunk case is one one-byte request.
 */
public final class UsedLenPlusOneRng implements InprocDeviceProvider {
    static final String TARGET = "inproc:fuzz-rng-len-plus-one?transport=mmio&ring=split";

    @Override
    public String name() {
        return "fuzz-rng-len-plus-one";
    }

    @Override
    public DeviceType type() {
        return DeviceType.RNG;
    }

    @Override
    public boolean reference() {
        return false;
    }

    @Override
    public VirtioDevice create() {
        return new QueueFaultDevice(new RngDevice(), RngDevice.REQUESTQ, q -> new ForwardingQueue(q) {
            @Override
            public void push(DescriptorChain chain, long usedLen) {
                real.push(chain, usedLen + 1);
            }
        });
    }
}
