package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingDevice;
import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.harness.inproc.NetDevice.RECEIVEQ;
import static org.virtiotck.harness.inproc.NetDevice.TRANSMITQ;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetDeviceProvider;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;
import org.virtiotck.probes.faulty.FaultyNet.ConfigFault;
import org.virtiotck.probes.faulty.FaultyNet.QueueFault;

/** Net devices that each break one rule of §5.1 or of used len (§2.7.8.2), for FaultyNetDevicesTest. */
public final class FaultyNetDevices {
    private FaultyNetDevices() {
    }

    // ---- transmit ----

    /** Puts the virtio_net_hdr on the wire in front of the frame: the chain it reads starts with the header twice. */
    public static final class TransmitKeepsHeader extends QueueFault {
        public TransmitKeepsHeader() {
            super("tx-keeps-header", TRANSMITQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    return super.pop().map(c -> {
                        List<Segment> segments = new ArrayList<>();
                        long left = NetHeader.SIZE;
                        for (Segment s : c.segments()) {
                            if (left > 0 && !s.writable()) {
                                segments.add(new Segment(s.addr(), Math.min(left, s.len()), false));
                                left -= Math.min(left, s.len());
                            }
                        }
                        segments.addAll(c.segments());
                        return new DescriptorChain(c.head(), segments, c.descriptorCount());
                    });
                }
            };
        }
    }

    /** Returns transmit buffers with their whole length as used len, as some legacy devices did (§5.1.6.1's note). */
    public static final class TransmitUsedLen extends QueueFault {
        public TransmitUsedLen() {
            super("tx-used-len", TRANSMITQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    super.push(chain, chain.readableLength());
                }
            };
        }
    }

    /** Drops (returns unsent) every transmit buffer whose header {@link #drops} says so. */
    private abstract static class DropsTransmits extends QueueFault {
        DropsTransmits(String fault) {
            super(fault, TRANSMITQ);
        }

        /** Whether the device drops a frame of {@code frameLength} bytes behind {@code h}. */
        abstract boolean drops(NetHeader h, long frameLength);

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    for (Optional<DescriptorChain> c = super.pop(); c.isPresent(); c = super.pop()) {
                        byte[] raw = new byte[NetHeader.SIZE];
                        if (!c.get().reader(memory()).read(raw)
                                || !drops(NetHeader.parse(raw), c.get().readableLength() - NetHeader.SIZE)) {
                            return c;
                        }
                        super.push(c.get(), 0);
                    }
                    return Optional.empty();
                }
            };
        }
    }

    /** Trusts csum_start and csum_offset without NEEDS_CSUM: drops a frame they point beyond. */
    public static final class TrustsChecksumFields extends DropsTransmits {
        public TrustsChecksumFields() {
            super("tx-trusts-csum-fields");
        }

        @Override
        boolean drops(NetHeader h, long frameLength) {
            return h.csumStart() + h.csumOffset() + 2 > frameLength;
        }
    }

    /** Drops a frame whose header has a flag bit it does not know (beyond NEEDS_CSUM, DATA_VALID, RSC_INFO). */
    public static final class DropsUnknownFlags extends DropsTransmits {
        public DropsUnknownFlags() {
            super("tx-drops-unknown-flags");
        }

        @Override
        boolean drops(NetHeader h, long frameLength) {
            return (h.flags() & ~(NetHeader.F_NEEDS_CSUM | NetHeader.F_DATA_VALID | NetHeader.F_RSC_INFO)) != 0;
        }
    }

    // ---- receive, without MRG_RXBUF ----

    /** Writes {@code bytes} at {@code offset} of every receive buffer the device filled with a header. */
    private abstract static class ReceiveHeaderPatch extends QueueFault {
        private final int offset;
        private final int[] bytes;

        ReceiveHeaderPatch(String fault, int offset, int... bytes) {
            super(fault, RECEIVEQ);
            this.offset = offset;
            this.bytes = bytes;
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    if (usedLen >= NetHeader.SIZE) {
                        FaultyNet.writeWritable(memory(), chain, offset, bytes);
                    }
                    super.push(chain, usedLen);
                }
            };
        }
    }

    public static final class DataValidFlag extends ReceiveHeaderPatch {
        public DataValidFlag() {
            super("rx-data-valid", 0, NetHeader.F_DATA_VALID);
        }
    }

    public static final class RscInfoFlag extends ReceiveHeaderPatch {
        public RscInfoFlag() {
            super("rx-rsc-info", 0, NetHeader.F_RSC_INFO);
        }
    }

    public static final class GsoTcpv4 extends ReceiveHeaderPatch {
        public GsoTcpv4() {
            super("rx-gso-tcpv4", 1, NetHeader.GSO_TCPV4);
        }
    }

    public static final class GsoUdp extends ReceiveHeaderPatch {
        public GsoUdp() {
            super("rx-gso-udp", 1, NetHeader.GSO_UDP);
        }
    }

    public static final class GsoTcpv6 extends ReceiveHeaderPatch {
        public GsoTcpv6() {
            super("rx-gso-tcpv6", 1, NetHeader.GSO_TCPV6);
        }
    }

    /** Says num_buffers 2 though each packet takes one buffer. */
    public static final class NumBuffersTwo extends ReceiveHeaderPatch {
        public NumBuffersTwo() {
            super("rx-num-buffers-two", 10, 2, 0);
        }
    }

    /** Flips a bit in the last frame byte of every receive buffer it fills. */
    public static final class CorruptsReceive extends QueueFault {
        public CorruptsReceive() {
            super("rx-corrupts", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    if (usedLen > NetHeader.SIZE) {
                        long at = FaultyNet.writableAddress(chain, usedLen - 1);
                        memory().write(at, new byte[] {(byte) (memory().read(at, 1)[0] ^ 0x10)});
                    }
                    super.push(chain, usedLen);
                }
            };
        }
    }

    /** Claims one byte more than it put in each receive buffer. */
    public static final class ReceiveUsedLenPlusOne extends QueueFault {
        public ReceiveUsedLenPlusOne() {
            super("rx-used-len-plus-one", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new UsedLenQueue(queue, len -> len + 1);
        }
    }

    /** Claims one byte less than it put in each receive buffer. */
    public static final class ReceiveUsedLenShort extends QueueFault {
        public ReceiveUsedLenShort() {
            super("rx-used-len-short", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new UsedLenQueue(queue, len -> len - 1);
        }
    }

    /** Spreads packets over several buffers though the driver did not negotiate MRG_RXBUF. */
    public static final class AlwaysMerges extends FaultyNet {
        public AlwaysMerges() {
            super("rx-always-merges");
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public void featuresNegotiated(FeatureSet accepted) {
                    super.featuresNegotiated(accepted.with(Feature.NET_MRG_RXBUF));
                }
            };
        }
    }

    // ---- receive, with MRG_RXBUF ----

    /**
     * A device that follows its merged receive buffers as they are pushed: which one starts a packet (and its
     * num_buffers) and which ends it, so a fault can pick on one of them.
     */
    private abstract static class MergedFault extends FaultyNet {
        MergedFault(String fault) {
            super(fault);
        }

        /** Pushes one buffer; {@code first} says whether it starts a packet, {@code last} whether it ends it. */
        abstract void push(DeviceQueue queue, DescriptorChain chain, long usedLen, int numBuffers, boolean first, boolean last);

        /** Called before each notification's work on the receive queue. */
        void beforeProcess(DeviceQueue queue) {
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                private int remaining;
                private int numBuffers;

                @Override
                public void reset() {
                    remaining = 0;
                    super.reset();
                }

                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    if (queueIndex != RECEIVEQ) {
                        super.process(queueIndex, queue);
                        return;
                    }
                    beforeProcess(queue);
                    super.process(queueIndex, new ForwardingQueue(queue) {
                        @Override
                        public void push(DescriptorChain chain, long usedLen) {
                            boolean first = remaining == 0;
                            if (first) {
                                numBuffers = Math.max(1, FaultyNet.readWritable16(memory(), chain, 10));
                                remaining = numBuffers;
                            }
                            remaining--;
                            MergedFault.this.push(real, chain, usedLen, numBuffers, first, remaining == 0);
                        }
                    });
                }
            };
        }
    }

    /** Announces one buffer fewer than a spread packet takes. */
    public static final class NumBuffersShort extends MergedFault {
        public NumBuffersShort() {
            super("rx-num-buffers-short");
        }

        @Override
        void push(DeviceQueue queue, DescriptorChain chain, long usedLen, int numBuffers, boolean first, boolean last) {
            if (first && numBuffers > 1) {
                FaultyNet.writeWritable(queue.memory(), chain, 10, numBuffers - 1, 0);
            }
            queue.push(chain, usedLen);
        }
    }

    /** Returns the last buffer of a spread packet only at the next notification. */
    public static final class LastBufferLate extends MergedFault {
        private final List<DescriptorChain> late = new ArrayList<>();
        private final List<Long> lateLens = new ArrayList<>();
        /** The queue the late buffers belong to; a new device or queue setup never sees them. */
        private DeviceQueue lateQueue;

        public LastBufferLate() {
            super("rx-last-buffer-late");
        }

        @Override
        synchronized void beforeProcess(DeviceQueue queue) {
            for (int i = 0; queue == lateQueue && i < late.size(); i++) {
                queue.push(late.get(i), lateLens.get(i));
            }
            late.clear();
            lateLens.clear();
        }

        @Override
        synchronized void push(DeviceQueue queue, DescriptorChain chain, long usedLen, int numBuffers, boolean first, boolean last) {
            if (last && !first) {
                if (queue != lateQueue) {
                    late.clear();
                    lateLens.clear();
                    lateQueue = queue;
                }
                late.add(chain);
                lateLens.add(usedLen);
            } else {
                queue.push(chain, usedLen);
            }
        }
    }

    /** Leaves the last 4 bytes of every receive buffer unused, so a spread packet leaves gaps. */
    public static final class Underfills extends QueueFault {
        public Underfills() {
            super("rx-underfills", RECEIVEQ);
        }

        @Override
        DeviceQueue wrap(DeviceQueue queue) {
            return new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    return super.pop().map(c -> {
                        List<Segment> segments = new ArrayList<>(c.segments());
                        Segment last = segments.get(segments.size() - 1);
                        if (!last.writable() || last.len() <= 4 || c.writableLength() < NetHeader.SIZE + 4) {
                            return c;
                        }
                        segments.set(segments.size() - 1, new Segment(last.addr(), last.len() - 4, true));
                        return new DescriptorChain(c.head(), segments, c.descriptorCount());
                    });
                }
            };
        }
    }

    // ---- mtu ----

    public static final class MtuTooSmall extends ConfigFault {
        public MtuTooSmall() {
            super("mtu-67");
        }

        @Override
        byte[] patch(byte[] config) {
            return withMtu(config, 67);
        }
    }

    public static final class MtuBelow1280 extends ConfigFault {
        public MtuBelow1280() {
            super("mtu-576");
        }

        @Override
        byte[] patch(byte[] config) {
            return withMtu(config, 576);
        }
    }

    /** Shows an mtu one lower after every feature negotiation. */
    public static final class MtuDrifts extends FaultyNet {
        public MtuDrifts() {
            super("mtu-drifts");
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                private volatile int negotiations;

                @Override
                public void featuresNegotiated(FeatureSet accepted) {
                    negotiations++;
                    super.featuresNegotiated(accepted);
                }

                @Override
                public byte[] config() {
                    return withMtu(super.config(), NetDeviceProvider.MTU - negotiations);
                }
            };
        }
    }

    /** Says mtu 1500 but carries frames of an mtu of 1000 only: longer transmitted frames are dropped. */
    public static final class MtuUnderstated extends ConfigFault {
        public MtuUnderstated() {
            super("mtu-understated");
        }

        @Override
        NetDevice healthyDevice() {
            return new NetDevice(NetDeviceProvider.MAC, 1000);
        }

        @Override
        byte[] patch(byte[] config) {
            return withMtu(config, NetDeviceProvider.MTU);
        }
    }

    /** Says mtu 1500 but carries frames of an mtu of 9000: larger received frames reach the driver. */
    public static final class MtuOverstated extends ConfigFault {
        public MtuOverstated() {
            super("mtu-overstated");
        }

        @Override
        NetDevice healthyDevice() {
            return new NetDevice(NetDeviceProvider.MAC, 9000);
        }

        @Override
        byte[] patch(byte[] config) {
            return withMtu(config, NetDeviceProvider.MTU);
        }
    }

    // ---- mac and status ----

    /** Shows a mac one bit off the address the device was given. */
    public static final class WrongMac extends ConfigFault {
        public WrongMac() {
            super("wrong-mac");
        }

        @Override
        byte[] patch(byte[] config) {
            config[NetConfig.MAC + 5] ^= 1;
            return config;
        }
    }

    /** Shows LINK_UP whatever the link does. */
    public static final class LinkAlwaysUp extends ConfigFault {
        public LinkAlwaysUp() {
            super("link-always-up");
        }

        @Override
        byte[] patch(byte[] config) {
            config[NetConfig.STATUS] |= NetConfig.S_LINK_UP;
            return config;
        }
    }

    /** Applies a link change to status but announces nothing: no new generation, no configuration change interrupt. */
    public static final class SilentLinkChange extends FaultyNet {
        public SilentLinkChange() {
            super("silent-link-change");
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return ForwardingDevice.withoutConfigNotifications(reference);
        }
    }

    // ---- features ----

    /** Offers GUEST_TSO4 without GUEST_CSUM, which it requires (§5.1.3.1). */
    public static final class TsoWithoutCsum extends FaultyNet {
        public TsoWithoutCsum() {
            super("tso-without-csum");
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return new ForwardingDevice(reference) {
                @Override
                public FeatureSet offeredFeatures() {
                    return super.offeredFeatures().with(Feature.NET_GUEST_TSO4).without(Feature.NET_GUEST_CSUM);
                }
            };
        }
    }
}
