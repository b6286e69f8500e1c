package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.ForwardingDevice;
import java.util.Arrays;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.inproc.ChainReader;
import org.virtiotck.harness.inproc.ChainWriter;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetDeviceProvider;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A net target without a far side that loops every transmitted frame back to the driver, as DPDK testpmd
 * forwarding a vhost-user port to itself does: a frame goes into the next receive buffer posted, or is dropped
 * when there is none. The reference device answers everything but the two data queues. The fuzzer's receive
 * buffers are then posted without being awaited, and judged by what comes back.
 */
public class LoopbackNet implements InprocDeviceProvider {
    static final String TARGET = "inproc:fuzz-net-loopback?transport=mmio&ring=split";

    @Override
    public String name() {
        return "fuzz-net-loopback";
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
        return loopback(false);
    }

    /** The loop; with {@code corruptLong}, it flips the last byte of frames over 100 bytes on the way back. */
    static VirtioDevice loopback(boolean corruptLong) {
        return new ForwardingDevice(new NetDevice(NetDeviceProvider.MAC, NetDeviceProvider.MTU)) {
            /** Receiveq1 as last notified since the reset: where looped frames go. */
            private DeviceQueue receiveq;

            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                if (queueIndex == 0) {
                    receiveq = queue;   // its buffers wait for frames to loop
                } else if (queueIndex == 1) {
                    for (Optional<DescriptorChain> c = queue.pop(); c.isPresent(); c = queue.pop()) {
                        ChainReader reader = c.get().reader(queue.memory());
                        byte[] packet = new byte[(int) reader.remaining()];
                        reader.read(packet);
                        queue.push(c.get(), 0);
                        loop(Arrays.copyOfRange(packet, Math.min(NetHeader.SIZE, packet.length), packet.length));
                    }
                } else {
                    super.process(queueIndex, queue);
                }
            }

            private void loop(byte[] frame) {
                Optional<DescriptorChain> rx = receiveq == null ? Optional.empty() : receiveq.pop();
                if (rx.isEmpty() || rx.get().writableLength() < NetHeader.SIZE + frame.length) {
                    return;     // dropped: no buffer, or one too small (then it stays taken, as a NIC may do)
                }
                if (corruptLong && frame.length > CorruptsLongFramesNet.LONGEST_INTACT) {
                    frame[frame.length - 1] ^= (byte) 0xff;
                }
                ChainWriter writer = rx.get().writer(receiveq.memory());
                writer.write(NetHeader.received(1).bytes());
                writer.write(frame);
                receiveq.push(rx.get(), NetHeader.SIZE + frame.length);
            }

            @Override
            public void reset() {
                receiveq = null;
                super.reset();
            }

            @Override
            public <T> Optional<T> farSide(Class<T> kind) {
                return Optional.empty();
            }
        };
    }

    /** The loop, corrupting long frames on the way back. */
    public static final class CorruptingLongFrames extends LoopbackNet {
        static final String TARGET = "inproc:fuzz-net-loopback-corrupts-long?transport=mmio&ring=split";

        @Override
        public String name() {
            return "fuzz-net-loopback-corrupts-long";
        }

        @Override
        public VirtioDevice create() {
            return loopback(true);
        }
    }
}
