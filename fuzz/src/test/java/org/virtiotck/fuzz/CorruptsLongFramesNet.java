package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingQueue;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetDeviceProvider;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty net device for the fuzzer's power test: the reference device, except that it flips the
 * last byte of every received frame longer than {@value #LONGEST_INTACT} bytes. Only a receive request with a
 * frame from the wire shows it, so the shrunk case is one receive of a {@value #LONGEST_INTACT}+1-byte frame.
 */
public final class CorruptsLongFramesNet implements InprocDeviceProvider {
    static final String TARGET = "inproc:fuzz-net-corrupts-long?transport=mmio&ring=split";
    static final int LONGEST_INTACT = 100;

    @Override
    public String name() {
        return "fuzz-net-corrupts-long";
    }

    @Override
    public DeviceType type() {
        return DeviceType.NET;
    }

    @Override
    public boolean reference() {
        return false;
    }

    @Override
    public VirtioDevice create() {
        return new QueueFaultDevice(new NetDevice(NetDeviceProvider.MAC, NetDeviceProvider.MTU), 0,
                q -> new ForwardingQueue(q) {
                    @Override
                    public void push(DescriptorChain chain, long usedLen) {
                        if (usedLen - NetHeader.SIZE > LONGEST_INTACT) {
                            flip(chain, usedLen - 1);
                        }
                        real.push(chain, usedLen);
                    }

                    private void flip(DescriptorChain chain, long offset) {
                        long left = offset;
                        for (Segment s : chain.segments()) {
                            if (!s.writable()) {
                                continue;
                            }
                            if (left < s.len()) {
                                long at = s.addr() + left;
                                memory().putU8(at, memory().u8(at) ^ 0xff);
                                return;
                            }
                            left -= s.len();
                        }
                    }
                });
    }
}
