package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.NetWire;

/**
 * A started net device on a {@link DriverRig}, with its wire and both queues at hand, and the requests a net
 * driver makes: transmit a frame, post receive buffers. Shared by the device tests and the loopback property.
 */
public final class NetRig {
    public static final byte[] MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    /** A receive buffer for any frame of a 1500-byte MTU without MRG_RXBUF: header and 1514 bytes (§5.1.6.3). */
    public static final int RX_BUFFER = NetHeader.SIZE + 1514;
    public static final int QUEUE_SIZE = 16;

    public final DriverRig base;
    public final NetDevice device;
    public final NetWire wire;
    public final GuestMemory memory;
    public final Allocator alloc;
    public final Transport transport;
    public final VirtioDriver driver;
    public final Virtqueue rx;
    public final Virtqueue tx;

    /** A reference device with MTU 1500 behind virtio-mmio, started with {@code rings}, MAC, STATUS and MTU. */
    public NetRig(Rings rings, boolean mergeable) {
        this(DriverRig.mmio(new NetDevice(MAC, NetDevice.DEFAULT_MTU)), rings, mergeable, QUEUE_SIZE);
    }

    /** Starts the net device on {@code base} with {@code rings}, MAC, STATUS, MTU and maybe MRG_RXBUF. */
    public NetRig(DriverRig base, Rings rings, boolean mergeable, int queueSize) {
        this.base = base.start(rings, netFeatures(mergeable), queueSize);
        this.device = (NetDevice) base.device;
        this.wire = device.farSide(NetWire.class).orElseThrow();
        this.memory = base.memory;
        this.alloc = base.alloc;
        this.transport = base.transport;
        this.driver = base.driver;
        this.rx = base.queue(NetDevice.RECEIVEQ);
        this.tx = base.queue(NetDevice.TRANSMITQ);
    }

    /** The net features a rig asks for: every one the device offers, MRG_RXBUF as chosen. */
    public static FeatureSet netFeatures(boolean mergeable) {
        FeatureSet f = FeatureSet.of(Feature.NET_MAC, Feature.NET_STATUS, Feature.NET_MTU);
        return mergeable ? f.with(Feature.NET_MRG_RXBUF) : f;
    }

    /** Everything a rig asks for, as a driver would write it. */
    public static FeatureSet features(Rings rings, boolean mergeable) {
        return rings.features().or(netFeatures(mergeable)).with(Feature.VERSION_1);
    }

    /** A header and a frame as the driver puts them in a transmit buffer, in one array. */
    public static byte[] packet(NetHeader header, byte[] frame) {
        byte[] all = new byte[NetHeader.SIZE + frame.length];
        System.arraycopy(header.bytes(), 0, all, 0, NetHeader.SIZE);
        System.arraycopy(frame, 0, all, NetHeader.SIZE, frame.length);
        return all;
    }

    /** A frame of {@code length} bytes addressed to {@link #MAC}, its payload a pattern from {@code seed}. */
    public static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * 31 + seed * 17 + (i >>> 8));
        }
        System.arraycopy(MAC, 0, f, 0, Math.min(length, MAC.length));
        return f;
    }

    /** Transmits the readable parts as one chain (direct or indirect, as the queue chooses) and kicks. */
    public Chain send(byte[]... parts) {
        List<Buffer> readable = new ArrayList<>();
        for (byte[] part : parts) {
            readable.add(alloc.readable(part));
        }
        Chain chain = tx.add(readable, List.of());
        driver.kick(tx);
        return chain;
    }

    /** Posts one receive buffer per size, each a single writable descriptor, and kicks. */
    public List<Chain> post(int... sizes) {
        List<Chain> chains = new ArrayList<>();
        for (int size : sizes) {
            chains.add(rx.add(List.of(), List.of(alloc.writable(size))));
        }
        driver.kick(rx);
        return chains;
    }

    /** Posts one receive buffer made of several writable descriptors, and kicks. */
    public void postSegmented(int... segments) {
        base.post(rx, segments);
    }

    public Completion awaitRx() {
        return rx.await(driver.deadline());
    }

    public Completion awaitTx() {
        return tx.await(driver.deadline());
    }

    public Optional<Completion> pollRx() {
        return rx.poll();
    }

    public byte[] written(Completion c) {
        return base.written(c);
    }
}
