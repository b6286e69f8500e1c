package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetQueues;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.NetCommand;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetDeviceProvider;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Base of the deliberately faulty net devices: the reference net device, wrapped with one deviation planted,
 * named "faulty-net-&lt;fault&gt;" in target strings. Never a reference device, so {@code inproc} alone skips them.
 */
abstract class FaultyNet implements InprocDeviceProvider {
    private final String fault;

    FaultyNet(String fault) {
        this.fault = fault;
    }

    /** The reference device with the deviation planted, usually a {@link ForwardingDevice} around it. */
    abstract VirtioDevice faulty(NetDevice reference);

    /** The reference device to plant the deviation in; a fault about the MTU builds it with another one. */
    NetDevice healthyDevice() {
        return new NetDevice(NetDeviceProvider.MAC, NetDeviceProvider.MTU);
    }

    @Override
    public String name() {
        return "faulty-net-" + fault;
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
        return faulty(healthyDevice());
    }

    /** {@code config} with its mtu field replaced. */
    static byte[] withMtu(byte[] config, int mtu) {
        ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN).putShort(NetConfig.MTU, (short) mtu);
        return config;
    }

    /** The guest address of the {@code offset}-th device-writable byte of {@code chain}. */
    static long writableAddress(DescriptorChain chain, long offset) {
        long left = offset;
        for (Segment s : chain.segments()) {
            if (s.writable()) {
                if (left < s.len()) {
                    return s.addr() + left;
                }
                left -= s.len();
            }
        }
        throw new IllegalArgumentException("chain " + chain + " has no writable byte " + offset);
    }

    /** Reads a little-endian 16-bit value at writable offset {@code offset} of {@code chain}. */
    static int readWritable16(GuestMemory m, DescriptorChain chain, int offset) {
        return (m.read(writableAddress(chain, offset), 1)[0] & 0xff)
                | (m.read(writableAddress(chain, offset + 1), 1)[0] & 0xff) << 8;
    }

    /** Writes bytes at writable offset {@code offset} of {@code chain}, byte by byte (they may cross segments). */
    static void writeWritable(GuestMemory m, DescriptorChain chain, int offset, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            m.write(writableAddress(chain, offset + i), new byte[] {(byte) bytes[i]});
        }
    }

    /** A net device whose queue {@code index} is wrapped, afresh for every notification, before the reference sees it. */
    abstract static class QueueFault extends FaultyNet {
        private final int index;

        QueueFault(String fault, int index) {
            super(fault);
            this.index = index;
        }

        abstract DeviceQueue wrap(DeviceQueue queue);

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, queueIndex == index ? wrap(queue) : queue);
                }
            };
        }
    }

    /** A net device whose config space is patched on every read. */
    abstract static class ConfigFault extends FaultyNet {
        ConfigFault(String fault) {
            super(fault);
        }

        abstract byte[] patch(byte[] config);

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public byte[] config() {
                    return patch(super.config());
                }
            };
        }
    }

    /**
     * A net device whose control queue is served here: each command goes to {@link #answer}, which by default
     * lets the reference carry it out, and whose return value is the ack. The hooks let a fault act on reset
     * and negotiation too.
     */
    abstract static class ControlFault extends FaultyNet {
        ControlFault(String fault) {
            super(fault);
        }

        /** The ack for {@code c}; a fault may skip or change what the reference is asked to do. */
        int answer(NetDevice reference, NetCommand c) {
            return reference.execute(c);
        }

        /** Called once the reference has taken the negotiated features. */
        void negotiated(NetDevice reference, FeatureSet accepted) {
        }

        /** Called before each notification's work, on any queue. */
        void beforeProcess() {
        }

        byte[] patchConfig(byte[] config) {
            return config;
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                private volatile FeatureSet negotiated = FeatureSet.NONE;

                @Override
                public void featuresNegotiated(FeatureSet accepted) {
                    negotiated = accepted;
                    super.featuresNegotiated(accepted);
                    negotiated(reference, accepted);
                }

                @Override
                public void reset() {
                    negotiated = FeatureSet.NONE;
                    super.reset();
                }

                @Override
                public byte[] config() {
                    return patchConfig(super.config());
                }

                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    beforeProcess();
                    if (negotiated.has(Feature.NET_CTRL_VQ)
                            && queueIndex == NetQueues.controlq(negotiated, reference.maxPairs())) {
                        NetCommand.serve(queue, c -> answer(reference, c));
                    } else {
                        super.process(queueIndex, queue);
                    }
                }
            };
        }
    }
}
