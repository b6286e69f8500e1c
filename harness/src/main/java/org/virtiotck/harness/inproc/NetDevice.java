package org.virtiotck.harness.inproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.harness.session.NetWire;

/**
 * The in-process reference network device (VIRTIO 1.2 §5.1): one receive queue (0) and one transmit queue (1),
 * no control queue, and no offloads. It offers the ring features its queues implement, MAC, STATUS, MTU and
 * MRG_RXBUF, and nothing that would need a control queue or checksum work (§5.1.3.1 ties those together).
 *
 * <p>Its far side is a {@link NetWire} ({@code farSide(NetWire.class)}): frames the driver transmits go out
 * there without their virtio_net_hdr (see {@link NetTransmitter}), and frames injected there are delivered into
 * the driver's receive buffers (see {@link NetReceiver}). Delivery starts both when the driver notifies the
 * receive queue and when a frame is injected; the transport only lets either happen after DRIVER_OK.
 *
 * <p>Config space (§5.1.4) holds {@code mac}, {@code status} (LINK_UP while the wire's link is up),
 * {@code max_virtqueue_pairs} = 1 (the field only counts with MQ, but sits before {@code mtu}) and {@code mtu}.
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
 * <p>Reset (§2.4) returns the device to its initial state: no negotiated features and no receive buffers held.
 * The wire is the far side's and is kept: its link state, the frames waiting for receive buffers (a probe may
 * inject them before the driver starts, and starting begins with a reset) and the captured frames.
 */
public class NetDevice implements VirtioDevice {
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int MAX_QUEUE_SIZE = 256;
    public static final int DEFAULT_MTU = 1500;

    private static final FeatureSet OFFERED = ReferenceFeatures.RING.with(Feature.NET_MAC).with(Feature.NET_STATUS)
            .with(Feature.NET_MTU).with(Feature.NET_MRG_RXBUF);

    private final byte[] mac;
    private final int mtu;
    private final boolean inOrderBatching;
    private final NetDrops drops = new NetDrops();
    private final HostLink host = new HostLink();
    private final InprocNetWire wire;
    private final NetTransmitter transmitter;
    private final NetReceiver receiver;
    private boolean mergeable;

    /** A device that returns every buffer with its own used entry. */
    public NetDevice(byte[] mac, int mtu) {
        this(mac, mtu, false);
    }

    /**
     * @param mac             the 6-byte address placed in config space
     * @param mtu             the {@code mtu} config field, within 68..65535 as §5.1.4.1 requires
     * @param inOrderBatching when the driver negotiated IN_ORDER, return the buffers completed in one pass as
     *                        in-order batches
     */
    public NetDevice(byte[] mac, int mtu, boolean inOrderBatching) {
        if (mac.length != NetConfig.MAC_BYTES) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        if (mtu < NetConfig.MTU_MIN || mtu > NetConfig.MTU_MAX) {
            throw new IllegalArgumentException("mtu " + mtu + " is outside " + NetConfig.MTU_MIN + ".."
                    + NetConfig.MTU_MAX);
        }
        this.mac = mac.clone();
        this.mtu = mtu;
        this.inOrderBatching = inOrderBatching;
        FrameSizes sizes = new FrameSizes(mtu);
        this.wire = new InprocNetWire(mac, mtu, drops, host);
        this.transmitter = new NetTransmitter(sizes, drops);
        this.receiver = new NetReceiver(wire, sizes, drops, inOrderBatching);
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

    /** The wire behind the device, the same object {@code farSide(NetWire.class)} returns. */
    public NetWire wire() {
        return wire;
    }

    /** Frames dropped so far, by reason; not reset by a device reset. */
    public NetDrops drops() {
        return drops;
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

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int maxQueueSize() {
        return MAX_QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        return ByteBuffer.allocate(NetConfig.SIZE_THROUGH_MTU).order(ByteOrder.LITTLE_ENDIAN)
                .put(mac)
                .putShort((short) (wire.linkUp() ? NetConfig.S_LINK_UP : 0))
                .putShort((short) 1)
                .putShort((short) mtu)
                .array();
    }

    @Override
    public synchronized void featuresNegotiated(FeatureSet accepted) {
        mergeable = accepted.has(Feature.NET_MRG_RXBUF);
    }

    @Override
    public synchronized void reset() {
        mergeable = false;
        receiver.reset();
    }

    @Override
    public void attach(DeviceHost host) {
        this.host.attach(host);
    }

    @Override
    public <T> Optional<T> farSide(Class<T> kind) {
        return kind == NetWire.class ? Optional.of(kind.cast(wire)) : Optional.empty();
    }

    @Override
    public synchronized void process(int queueIndex, DeviceQueue queue) {
        switch (queueIndex) {
            case RECEIVEQ -> receiver.deliver(queue, mergeable);
            case TRANSMITQ -> transmit(queue);
            default -> throw new IllegalArgumentException("net device has no queue " + queueIndex);
        }
    }

    /**
     * Sends every available transmit buffer. Each is returned with used len 0: the device writes nothing into a
     * transmit buffer, and used len counts written bytes (§2.7.8.2; the legacy note of §5.1.6.1 says so too).
     */
    private void transmit(DeviceQueue queue) {
        InOrderBatch done = new InOrderBatch(queue, inOrderBatching);
        try {
            for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
                DescriptorChain chain = next.get();
                transmitter.frameOf(chain, queue.memory()).ifPresent(wire::transmitted);
                done.complete(chain, 0);
            }
        } finally {
            // Buffers sent before a malformed one are still returned.
            done.flush();
        }
    }
}
