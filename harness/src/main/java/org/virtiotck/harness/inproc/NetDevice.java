package org.virtiotck.harness.inproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetCtrl;
import org.virtiotck.driver.net.NetQueues;
import org.virtiotck.harness.session.NetWire;

/**
 * The in-process reference network device (VIRTIO 1.2 §5.1): up to {@code maxPairs} receive/transmit queue pairs
 * and a control queue after them (§5.1.2), no offloads. It offers the ring features its queues implement, MAC,
 * STATUS, MTU, MRG_RXBUF, SPEED_DUPLEX, and the control queue with what it carries: CTRL_RX and CTRL_RX_EXTRA
 * (receive filtering, see {@link NetRxFilter}), CTRL_MAC_ADDR, GUEST_ANNOUNCE and MQ (automatic receive steering
 * by flow, see {@link NetFlows}); nothing that needs checksum work (§5.1.3.1 ties those together).
 *
 * <p>Its far side is a {@link NetWire} ({@code farSide(NetWire.class)}): frames the driver transmits go out
 * there without their virtio_net_hdr (see {@link NetTransmitter}), and frames injected there are delivered into
 * the driver's receive buffers (see {@link NetReceiver}). Delivery starts both when the driver notifies a receive
 * queue and when a frame is injected; the transport only lets either happen after DRIVER_OK. Frames leave the
 * wire in the order they came: each goes through the receive filter (only with CTRL_RX negotiated: without it
 * every frame passes, as before the driver could choose), then to its receive queue, receiveq1 unless
 * VQ_PAIRS_SET enabled more pairs; a frame whose queue has no buffer posted waits, and so do those behind it.
 *
 * <p>Config space (§5.1.4) holds {@code mac} (as MAC_ADDR_SET last set it), {@code status} (LINK_UP while the
 * wire's link is up, ANNOUNCE while an announcement the wire asked for is not acknowledged),
 * {@code max_virtqueue_pairs}, {@code mtu}, {@code speed} 10000 Mbit/s and {@code duplex} 0x01 (full, as §5.1.4
 * and Linux read it; see {@link NetConfig#DUPLEX_1}); the RSS fields read 0, as RSS and HASH_REPORT are not
 * offered.
 *
 * <p>Control commands (§5.1.6.5) are carried out by {@link NetCtrlHandler}, which holds the state they set.
 * Whatever a command changes is changed before its buffer is used; a change of {@code mac} or {@code status} is a
 * configuration change, with a new generation and a notification (§2.5).
 *
 * <p>Every buffer is returned with one used entry of its own unless the device is built with
 * {@code inOrderBatching}; then, when the driver negotiated IN_ORDER, the buffers completed in one pass go back
 * as in-order batches (see {@link InOrderBatch}), which suits both queues: transmit buffers are all used in full
 * (nothing to write), and merged receive buffers are full but the last.
 *
 * <p>Queue work is serialised on the device, because it starts on two threads' initiative: the driver's
 * notifications and the wire's injections (which the transport serialises with register accesses, see
 * {@link DeviceHost}).
 *
 * <p>Reset (§2.4) returns the device to its initial state: no negotiated features, no receive buffers held, one
 * queue pair in use, the configured {@code mac}, an empty MAC table, every RX mode off and no announcement
 * pending. The wire is the far side's and is kept: its link state, the frames waiting for receive buffers (a
 * probe may inject them before the driver starts, and starting begins with a reset) and the captured frames.
 */
public class NetDevice implements VirtioDevice {
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int MAX_QUEUE_SIZE = 256;
    public static final int DEFAULT_MTU = 1500;
    public static final int DEFAULT_MAX_PAIRS = 4;
    public static final long SPEED_MBPS = 10_000;
    /** Transmitted flows remembered for steering their answers. */
    static final int FLOWS_KEPT = 1024;

    private static final FeatureSet OFFERED = ReferenceFeatures.RING.with(Feature.NET_MAC).with(Feature.NET_STATUS)
            .with(Feature.NET_MTU).with(Feature.NET_MRG_RXBUF).with(Feature.NET_SPEED_DUPLEX)
            .with(Feature.NET_CTRL_VQ).with(Feature.NET_CTRL_RX).with(Feature.NET_CTRL_RX_EXTRA)
            .with(Feature.NET_CTRL_MAC_ADDR).with(Feature.NET_GUEST_ANNOUNCE).with(Feature.NET_MQ);

    private final byte[] mac;
    private final int mtu;
    private final boolean inOrderBatching;
    private final int maxPairs;
    private final NetDrops drops = new NetDrops();
    private final HostLink host = new HostLink();
    private final InprocNetWire wire;
    private final NetTransmitter transmitter;
    private final NetReceiver[] receivers;
    private final NetCtrlHandler ctrl;
    private FeatureSet negotiated = FeatureSet.NONE;
    /** The transmitq (0-based) each flow last went out on, keyed by the flow of its answers; the latest kept. */
    private final Map<ByteBuffer, Integer> flowQueues = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Integer> eldest) {
            return size() > FLOWS_KEPT;
        }
    };
    /** Set while frames are being moved, so that a nested call for another receive queue only binds it. */
    private boolean delivering;

    /** A device with {@link #DEFAULT_MAX_PAIRS} queue pairs that returns every buffer with its own used entry. */
    public NetDevice(byte[] mac, int mtu) {
        this(mac, mtu, false);
    }

    public NetDevice(byte[] mac, int mtu, boolean inOrderBatching) {
        this(mac, mtu, inOrderBatching, DEFAULT_MAX_PAIRS);
    }

    /**
     * @param mac             the 6-byte address placed in config space
     * @param mtu             the {@code mtu} config field, within 68..65535 as §5.1.4.1 requires
     * @param inOrderBatching when the driver negotiated IN_ORDER, return the buffers completed in one pass as
     *                        in-order batches
     * @param maxPairs        {@code max_virtqueue_pairs}, within 1..0x8000 as §5.1.4.1 requires
     */
    public NetDevice(byte[] mac, int mtu, boolean inOrderBatching, int maxPairs) {
        if (mac.length != NetConfig.MAC_BYTES) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        if (mtu < NetConfig.MTU_MIN || mtu > NetConfig.MTU_MAX) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside " + NetConfig.MTU_MIN + ".."
                    + NetConfig.MTU_MAX);
        }
        if (maxPairs < NetConfig.VQ_PAIRS_MIN || maxPairs > NetConfig.VQ_PAIRS_MAX) {
            throw new IllegalArgumentException("max_virtqueue_pairs " + maxPairs + " is outside "
                    + NetConfig.VQ_PAIRS_MIN + ".." + NetConfig.VQ_PAIRS_MAX);
        }
        this.mac = mac.clone();
        this.ctrl = new NetCtrlHandler(mac, maxPairs, host);
        this.mtu = mtu;
        this.inOrderBatching = inOrderBatching;
        this.maxPairs = maxPairs;
        FrameSizes sizes = new FrameSizes(mtu);
        this.wire = new InprocNetWire(mac, mtu, drops, host, this::announce);
        this.transmitter = new NetTransmitter(sizes, drops);
        this.receivers = new NetReceiver[maxPairs];
        for (int k = 0; k < maxPairs; k++) {
            receivers[k] = new NetReceiver(sizes, drops, inOrderBatching);
        }
    }

    public byte[] mac() {
        return mac.clone();
    }

    public int mtu() {
        return mtu;
    }

    public boolean inOrderBatching() {
        return inOrderBatching;
    }

    public int maxPairs() {
        return maxPairs;
    }

    /** The wire behind the device, the same object {@code farSide(NetWire.class)} returns. */
    public NetWire wire() {
        return wire;
    }

    /** Frames dropped so far, by reason; not reset by a device reset. */
    public NetDrops drops() {
        return drops;
    }

    /** The receive filter that applies while CTRL_RX is negotiated. */
    public NetRxFilter filter() {
        return ctrl.filter();
    }

    /** Frames injected on the wire that wait for receive buffers. */
    public int framesWaiting() {
        return wire.waiting();
    }

    @Override
    public DeviceType type() {
        return DeviceType.NET;
    }

    @Override
    public FeatureSet offeredFeatures() {
        return OFFERED;
    }

    /** Every pair and the control queue: the most any negotiation can use (what PCI's num_queues shows). */
    @Override
    public int queueCount() {
        return 2 * maxPairs + 1;
    }

    @Override
    public int maxQueueSize() {
        return MAX_QUEUE_SIZE;
    }

    @Override
    public synchronized byte[] config() {
        int status = (wire.linkUp() ? NetConfig.S_LINK_UP : 0) | (ctrl.announcing() ? NetConfig.S_ANNOUNCE : 0);
        return ByteBuffer.allocate(NetConfig.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put(ctrl.currentMac())
                .putShort((short) status)
                .putShort((short) maxPairs)
                .putShort((short) mtu)
                .putInt((int) SPEED_MBPS)
                .put((byte) NetConfig.DUPLEX_1)
                .array();
    }

    @Override
    public synchronized void featuresNegotiated(FeatureSet accepted) {
        negotiated = accepted;
    }

    @Override
    public synchronized void reset() {
        negotiated = FeatureSet.NONE;
        ctrl.reset();
        flowQueues.clear();
        for (NetReceiver r : receivers) {
            r.reset();
        }
    }

    @Override
    public void attach(DeviceHost host) {
        this.host.attach(host);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return kind == NetWire.class ? Optional.of(kind.cast(wire)) : Optional.empty();
    }

    /**
     * Serves a queue by the role its index has with the negotiated features (§5.1.2). An index no queue has with
     * them (a pair beyond N, a control queue without CTRL_VQ) is left alone: a driver has no business there.
     */
    @Override
    public synchronized void process(int queueIndex, DeviceQueue queue) {
        int pairs = NetQueues.pairs(negotiated, maxPairs);
        if (queueIndex < 2 * pairs && queueIndex % 2 == 0) {
            receive(queueIndex / 2, queue);
        } else if (queueIndex < 2 * pairs) {
            transmit(queueIndex / 2, queue);
        } else if (queueIndex == NetQueues.controlq(negotiated, maxPairs) && negotiated.has(Feature.NET_CTRL_VQ)) {
            NetCommand.serve(queue, this::execute);
        } else if (queueIndex >= queueCount()) {
            throw new IllegalArgumentException("net device has no queue " + queueIndex);
        }
    }

    /**
     * Carries out one control command, as if it had come on the control queue, and returns its ack
     * ({@link NetCtrl#OK} or {@link NetCtrl#ERR}).
     */
    public synchronized int execute(NetCommand c) {
        return ctrl.execute(c, negotiated);
    }

    /**
     * The wire asks the driver to announce the device's new location (§5.1.6.5.4): with GUEST_ANNOUNCE
     * negotiated, ANNOUNCE is set in {@code status} with a configuration change; without it nothing happens.
     */
    private void announce() {
        synchronized (this) {
            if (!negotiated.has(Feature.NET_GUEST_ANNOUNCE) || ctrl.announcing()) {
                return;
            }
        }
        host.changeConfig(() -> {
            synchronized (this) {
                ctrl.announce();
            }
        });
    }

    /**
     * Moves waiting frames into the receive queues, receiveq{@code k + 1} being the one notified; a frame whose
     * queue the device has not seen yet is asked for through the transport, which binds it with a nested call.
     * Queues other than {@code k} that got buffers are serviced afterwards, so the transport raises their
     * interrupts.
     */
    private void receive(int k, DeviceQueue queue) {
        receivers[k].bind(queue);
        if (delivering) {
            return;
        }
        boolean[] used = new boolean[maxPairs];
        delivering = true;
        try {
            boolean filtering = negotiated.has(Feature.NET_CTRL_RX);
            NetRxFilter filter = ctrl.filter();
            for (byte[] frame = wire.nextWaiting(); frame != null; frame = wire.nextWaiting()) {
                if (filtering && !filter.passes(Arrays.copyOf(frame, NetConfig.MAC_BYTES), ctrl.currentMac())) {
                    drops.add(NetDrops.Reason.RX_FILTERED);
                    wire.taken(frame);
                    continue;
                }
                int target = steer(frame);
                NetReceiver r = receivers[target];
                if (!r.bound()) {
                    host.serviceQueue(NetQueues.receiveq(target + 1));
                }
                if (!r.bound() || !r.take(frame, negotiated.has(Feature.NET_MRG_RXBUF))) {
                    break;
                }
                used[target] = true;
                wire.taken(frame);
            }
        } finally {
            for (NetReceiver r : receivers) {
                r.flush();
            }
            delivering = false;
        }
        for (int t = 0; t < maxPairs; t++) {
            if (used[t] && t != k) {
                host.serviceQueue(NetQueues.receiveq(t + 1));
            }
        }
    }

    /**
     * The receive queue (0-based) for {@code frame}: receiveq1 while one pair is in use; otherwise the queue paired
     * with the transmitq its flow last went out on, as §5.1.6.5.6 recommends, and for a flow never sent (or sent
     * on a queue no longer in use) the one its hash picks.
     */
    private int steer(byte[] frame) {
        int pairsInUse = ctrl.pairsInUse();
        if (pairsInUse == 1) {
            return 0;
        }
        ByteBuffer flow = NetFlows.key(frame);
        Integer sent = flowQueues.get(flow);
        return sent != null && sent < pairsInUse ? sent : NetFlows.hashQueue(flow, pairsInUse);
    }

    /**
     * Sends every available transmit buffer of transmitq{@code k + 1}, noting the queue of each flow. Each is
     * returned with used len 0: the device writes nothing into a transmit buffer, and used len counts written
     * bytes (§2.7.8.2; the legacy note of §5.1.6.1 says so too).
     */
    private void transmit(int k, DeviceQueue queue) {
        InOrderBatch done = new InOrderBatch(queue, inOrderBatching);
        try {
            for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
                DescriptorChain chain = next.get();
                transmitter.frameOf(chain, queue.memory()).ifPresent(frame -> {
                    flowQueues.put(NetFlows.replyKey(frame), k);
                    wire.transmitted(frame);
                });
                done.complete(chain, 0);
            }
        } finally {
            // Buffers sent before a malformed one are still returned.
            done.flush();
        }
    }
}
