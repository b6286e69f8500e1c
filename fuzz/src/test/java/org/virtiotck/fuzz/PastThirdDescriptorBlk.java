package org.virtiotck.fuzz;

import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty blk device for the fuzzer's own power test: the reference device, except that on chains
 * of three or more descriptors it writes one byte past the last writable buffer when it sets the status. Only
 * plans with such a chain can find it, so the shrunk plan is known: one request with exactly three descriptors.
 */
public final class PastThirdDescriptorBlk implements InprocDeviceProvider {
    static final String TARGET = "inproc:fuzz-blk-past-third?transport=mmio&ring=split";

    @Override
    public String name() {
        return "fuzz-blk-past-third";
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public boolean reference() {
        return false;
    }

    @Override
    public VirtioDevice create() {
        return new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false) {
            @Override
            protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
                super.putStatus(chain, mem, status);
                if (chain.segments().size() >= 3) {
                    Segment last = chain.segments().get(chain.segments().size() - 1);
                    mem.putU8(last.addr() + last.len(), 0);
                }
            }
        };
    }
}
