package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetControl;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.net.NetQueues;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.UsedBuffer;
import org.virtiotck.probes.Workload;

/**
 * A net device's first queue pair as the probes drive it (VIRTIO 1.2 §5.1): receiveq1 (0) and transmitq1 (1),
 * set up with the ring features the driver model implements plus MAC, STATUS and MTU, which change no packet
 * format. No offload is ever negotiated, so every header the driver sends is plain and the 12-byte header of
 * VERSION_1 is the whole header both ways (§5.1.6).
 */
final class NetPort {
    static final FeatureSet FEATURES = Devices.DRIVER_SUPPORTS.with(Feature.NET_MAC).with(Feature.NET_STATUS)
            .with(Feature.NET_MTU);
    static final FeatureSet MERGEABLE = FEATURES.with(Feature.NET_MRG_RXBUF);
    /** The largest frame without MTU (§5.1.6.3): 1500 bytes of payload and the ethernet header. */
    static final int DEFAULT_MAX_FRAME = 1514;
    /** A receive buffer for any such frame without MRG_RXBUF, as §5.1.6.3.1 recommends. */
    static final int RX_BUFFER = NetHeader.SIZE + DEFAULT_MAX_FRAME;

    /** The most queue pairs a probe sets up; a device offering more is skipped by the probes that need MQ. */
    static final int MAX_PAIRS_SET_UP = 16;

    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    /** A locally administered unicast source, never the device's own address. */
    private static final byte[] SOURCE = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x01};
    /** IEEE 802 local experimental ethertype: no stack on the far side will read the payload as a protocol. */
    private static final int ETHERTYPE = 0x88b5;

    private final VirtioDriver driver;
    private final Virtqueue rx;
    private final Virtqueue tx;
    private final NetControl control;
    private final int pairs;

    private NetPort(VirtioDriver driver, NetControl control, int pairs) {
        this.driver = driver;
        this.rx = driver.queue(NetQueues.receiveq(1));
        this.tx = driver.queue(NetQueues.transmitq(1));
        this.control = control;
        this.pairs = pairs;
    }

    private NetPort(VirtioDriver driver) {
        this(driver, null, 1);
    }

    /** Starts the session's net device with {@code features} (the offered subset of them). */
    static NetPort start(Session session, FeatureSet features) {
        return new NetPort(Workload.start(session, features).driver());
    }

    static NetPort start(Session session) {
        return start(session, FEATURES);
    }

    /** Starts with MRG_RXBUF negotiated, or ends in SKIP. */
    static NetPort startMergeable(Session session) {
        NetPort port = start(session, MERGEABLE);
        Assumptions.assumeTrue(port.has(Feature.NET_MRG_RXBUF), "device without VIRTIO_NET_F_MRG_RXBUF");
        return port;
    }

    /**
     * Starts with {@link #FEATURES}, CTRL_VQ and {@code extra} (the offered subset), every queue pair N brings
     * (§5.1.2: all {@code max_virtqueue_pairs} of them with MQ) and the control queue after them; or ends in SKIP
     * when CTRL_VQ is not negotiated or the target exposes no control queue (a vhost-user back-end leaves it to
     * the front-end). The probe checks which of {@code extra} were negotiated.
     */
    static NetPort startWithControl(Session session, Feature... extra) {
        FeatureSet wanted = FEATURES.with(Feature.NET_CTRL_VQ);
        for (Feature f : extra) {
            wanted = wanted.with(f);
        }
        VirtioDriver driver = Workload.prepare(session, wanted).driver();
        FeatureSet negotiated = driver.negotiated();
        Assumptions.assumeTrue(negotiated.has(Feature.NET_CTRL_VQ), "device without VIRTIO_NET_F_CTRL_VQ");
        int max = (int) driver.transport().readConfig(NetConfig.MAX_VIRTQUEUE_PAIRS, 2);
        int pairs = NetQueues.pairs(negotiated, max);
        Assumptions.assumeTrue(pairs >= 1 && pairs <= MAX_PAIRS_SET_UP, "max_virtqueue_pairs reads " + max
                + "; a probe sets up 1 to " + MAX_PAIRS_SET_UP + " pairs");
        int controlq = NetQueues.controlq(negotiated, max);
        Assumptions.assumeTrue(driver.transport().queueMaxSize(controlq) != 0, "target " + session.target().canonical()
                + " exposes no queue " + controlq + ", the control queue");
        for (int q = 2; q < controlq; q++) {
            driver.setupQueue(q, Devices.QUEUE_SIZE);
        }
        NetControl control = new NetControl(driver, driver.setupQueue(controlq, Devices.QUEUE_SIZE));
        driver.driverOk();
        return new NetPort(driver, control, pairs);
    }

    /** The control queue's client; only for a port from {@link #startWithControl}. */
    NetControl control() {
        if (control == null) {
            throw new IllegalStateException("this port was started without the control queue");
        }
        return control;
    }

    /** N of §5.1.2: the queue pairs set up (all of max_virtqueue_pairs with MQ negotiated, else 1). */
    int pairs() {
        return pairs;
    }

    /** Receiveq{@code k} (1-based). */
    Virtqueue receiveq(int k) {
        return driver.queue(NetQueues.receiveq(k));
    }

    /** Transmitq{@code k} (1-based). */
    Virtqueue transmitq(int k) {
        return driver.queue(NetQueues.transmitq(k));
    }

    /** Checks that the device answered {@code what} with VIRTIO_NET_OK. */
    static void expectOk(String what, NetControl.Ack ack) {
        Check.that(ack.ok(), "ack of " + what + " on the control queue", "VIRTIO_NET_OK", ack.toString());
    }

    /** The wire behind the device, or the probe ends in SKIP when the target gives none. */
    static NetWire wire(Session session) {
        Optional<NetWire> wire = session.farSide(NetWire.class);
        Assumptions.assumeTrue(wire.isPresent(), "target " + session.target().canonical()
                + " gives no access to the net device's wire");
        return wire.get();
    }

    VirtioDriver driver() {
        return driver;
    }

    Transport transport() {
        return driver.transport();
    }

    Virtqueue rx() {
        return rx;
    }

    Virtqueue tx() {
        return tx;
    }

    boolean has(Feature f) {
        return driver.negotiated().has(f);
    }

    boolean mergeable() {
        return has(Feature.NET_MRG_RXBUF);
    }

    /** Reads config fields with {@code read} until the generation is the same before and after (§2.5). */
    <T> T readConsistent(Supplier<T> read) {
        Transport t = transport();
        Deadline d = driver.deadline();
        for (int attempt = 0; ; attempt++) {
            int before = t.configGeneration();
            T value = read.get();
            if (t.configGeneration() == before) {
                return value;
            }
            d.check("settle its configuration generation while the driver reads the configuration");
            Deadline.pause(attempt);
        }
    }

    int mtu() {
        return (int) transport().readConfig(NetConfig.MTU, 2);
    }

    int status() {
        return readConsistent(() -> (int) transport().readConfig(NetConfig.STATUS, 2));
    }

    /** The largest frame the device must carry: mtu plus the ethernet header with MTU negotiated, 1514 otherwise. */
    int maxFrame() {
        return has(Feature.NET_MTU) ? mtu() + NetConfig.ETH_HEADER : DEFAULT_MAX_FRAME;
    }

    static byte[] broadcast() {
        return BROADCAST.clone();
    }

    /** Where frames to the driver go: the device's own address with MAC negotiated, broadcast otherwise. */
    byte[] destination() {
        if (!has(Feature.NET_MAC)) {
            return BROADCAST.clone();
        }
        return readConsistent(() -> {
            byte[] mac = new byte[NetConfig.MAC_BYTES];
            for (int i = 0; i < mac.length; i++) {
                mac[i] = (byte) transport().readConfig(NetConfig.MAC + i, 1);
            }
            return mac;
        });
    }

    /**
     * An ethernet frame of {@code length} bytes (at least 14) to {@code destination}, from a local address, of
     * an experimental ethertype, with a payload from {@link Devices#pattern} (so never the poison byte).
     */
    static byte[] frame(byte[] destination, int length, int seed) {
        byte[] f = Devices.pattern(length, seed);
        System.arraycopy(destination, 0, f, 0, 6);
        System.arraycopy(SOURCE, 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE >>> 8);
        f[13] = (byte) ETHERTYPE;
        return f;
    }

    /** Makes one transmit chain available per frame, the i-th cut as {@code layouts[i % n]}, notifies once, waits for all. */
    List<Completion> transmit(NetHeader header, List<byte[]> frames, List<TxLayout> layouts) {
        return transmit(tx, header, frames, layouts);
    }

    /** As {@link #transmit(NetHeader, List, List)}, on transmit queue {@code q}. */
    List<Completion> transmit(Virtqueue q, NetHeader header, List<byte[]> frames, List<TxLayout> layouts) {
        for (int i = 0; i < frames.size(); i++) {
            layouts.get(i % layouts.size()).add(q, driver.allocator(), header.bytes(), frames.get(i));
        }
        driver.kick(q);
        List<Completion> done = new ArrayList<>();
        while (done.size() < frames.size()) {
            done.add(driver.await(q));
        }
        return done;
    }

    Completion transmit(NetHeader header, byte[] frame, TxLayout layout) {
        return transmit(header, List.of(frame), List.of(layout)).get(0);
    }

    /** Checks that the wire carries {@code sent}, in order, each frame whole and nothing in between. */
    void expectOnWire(NetWire wire, List<byte[]> sent, String how) {
        Deadline d = driver.deadline();
        for (int i = 0; i < sent.size(); i++) {
            Optional<byte[]> got = wire.awaitSent(d);
            Check.that(got.isPresent(), "frame " + (i + 1) + " of " + sent.size() + " " + how + ", on the wire",
                    "a " + sent.get(i).length + "-byte frame", "no frame within the deadline");
            Check.sameBytes("frame " + (i + 1) + " of " + sent.size() + " " + how + ", as the wire carried it",
                    sent.get(i), got.get());
        }
    }

    /** Makes one receive buffer of {@code size} bytes available, cut as {@code layout}; the caller notifies. */
    void post(int size, ChainLayout layout) {
        post(rx, size, layout);
    }

    /** Makes one buffer of {@code size} bytes available on receive queue {@code q}; the caller notifies. */
    void post(Virtqueue q, int size, ChainLayout layout) {
        layout.add(q, List.of(), layout.writable(driver.allocator(), size));
    }

    void kickRx() {
        driver.kick(rx);
    }

    /** The next used receive buffer, if the device returned one; does not wait. */
    Optional<UsedBuffer> pollRx() {
        return rx.poll().map(c -> UsedBuffer.of(c, driver.allocator().memory()));
    }
}
