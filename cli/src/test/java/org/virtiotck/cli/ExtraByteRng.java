package org.virtiotck.cli;

import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.ForwardingDevice;
import org.virtiotck.harness.inproc.ForwardingQueue;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.RngDevice;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty entropy device, {@code inproc:cli-extra-byte-rng}: the reference rng claiming one byte
 * more than it wrote in every used entry (§2.7.8.2), so that a run of the rng probes through the command line
 * FAILs and prints reproduce lines.
 */
public final class ExtraByteRng implements InprocDeviceProvider {
    public static final String NAME = "cli-extra-byte-rng";

    @Override
    public String name() {
        return NAME;
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
        return new ForwardingDevice(new RngDevice()) {
            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                super.process(queueIndex, new ForwardingQueue(queue) {
                    @Override
                    public void push(DescriptorChain chain, long usedLen) {
                        super.push(chain, usedLen + 1);
                    }

                    @Override
                    public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
                        super.pushBatch(chains, lastUsedLen + 1);
                    }
                });
            }
        };
    }
}
