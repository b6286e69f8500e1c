package org.virtiotck.harness.vhostuser;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.ConfigSpaceUnavailableException;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.vhostuser.protocol.ProtocolFeature;
import org.virtiotck.harness.vhostuser.protocol.VhostUserConnection;
import org.virtiotck.harness.vhostuser.protocol.VhostUserRefusedException;
import org.virtiotck.harness.vhostuser.protocol.VringAddress;
import org.virtiotck.harness.vhostuser.protocol.VringState;

/**
 * The virtio transport a vhost-user frontend gives its driver, doing what QEMU does in front of a back-end.
 * The frontend keeps the device status itself and forwards it with SET_STATUS when the back-end has that
 * protocol feature. Features are GET/SET_FEATURES without the vhost bits 30 (VHOST_USER_F_PROTOCOL_FEATURES)
 * and 26 (VHOST_F_LOG_ALL), which are the frontend's business. Queue configuration is remembered and handed
 * over at DRIVER_OK (memory table, then per ring NUM, BASE, ADDR in user addresses, CALL, ERR, KICK, then
 * ENABLE); a reset stops each running ring with GET_VRING_BASE. Knows nothing of device types: the device id
 * and queue count come from the caller.
 */
public final class VhostUserTransport implements Transport, AutoCloseable {
    /** The protocol features this frontend uses; others are never acknowledged. */
    public static final long SUPPORTED_PROTOCOL_FEATURES = ProtocolFeature.maskOf(ProtocolFeature.MQ,
            ProtocolFeature.REPLY_ACK, ProtocolFeature.CONFIG, ProtocolFeature.RESET_DEVICE,
            ProtocolFeature.CONFIGURE_MEM_SLOTS, ProtocolFeature.STATUS);
    private static final long PROTOCOL_FEATURES_BIT = 1L << ProtocolFeature.VHOST_USER_F_PROTOCOL_FEATURES;
    /** VHOST_F_LOG_ALL: dirty logging for migration, offered by vhost back-ends in a bit virtio reserves. */
    private static final long LOG_ALL_BIT = 1L << 26;
    /** Bits of GET_FEATURES that belong to the vhost protocol, not to the virtio device: the driver never sees them. */
    private static final long VHOST_BITS = PROTOCOL_FEATURES_BIT | LOG_ALL_BIT;
    /** The ring index field of SET_VRING_KICK/CALL/ERR has 8 bits. */
    private static final int MAX_RINGS = 256;
    /** A packed ring starts at index 0 with both wrap counters 1: bit 15 (avail) and bit 31 (used). */
    private static final int PACKED_START = 0x8000_8000;

    private final VhostUserConnection connection;
    private final MemfdGuestMemory memory;
    private final int deviceId;
    private final int maxQueueSize;
    /** The device features as offered when the connection was set up, which FEATURES_OK is checked against. */
    private final FeatureSet offered;
    private final long protocolFeatures;
    private final int queueCount;
    /** Rings by index, made when the driver first touches one: a back-end may claim 256 queues. */
    private final VhostUserRing[] rings;
    private FeatureSet driverFeatures = FeatureSet.NONE;
    /** Whether SET_FEATURES acknowledges bit 30 (when offered); a probe may decline it so that rings start enabled. */
    private boolean ackProtocolFeatures;
    /** Whether rings are handed over with SET_VRING_KICK's no-fd flag, asking the back-end to poll them. */
    private boolean polledRings;
    /** Whether DRIVER_OK leaves rings disabled (no SET_VRING_ENABLE 1) for probes of the disabled state. */
    private boolean ringsLeftDisabled;
    private int status;
    private int configGeneration;

    private VhostUserTransport(VhostUserConnection connection, MemfdGuestMemory memory, int deviceId, int queues,
            int maxQueueSize, long offered, long protocolFeatures) {
        this.connection = connection;
        this.memory = memory;
        this.deviceId = deviceId;
        this.maxQueueSize = maxQueueSize;
        this.offered = FeatureSet.ofBits(offered & ~VHOST_BITS);
        this.ackProtocolFeatures = (offered & PROTOCOL_FEATURES_BIT) != 0;
        this.protocolFeatures = protocolFeatures;
        this.queueCount = queues;
        this.rings = new VhostUserRing[queues];
    }

    private List<VhostUserRing> made() {
        List<VhostUserRing> made = new ArrayList<>();
        for (VhostUserRing r : rings) {
            if (r != null) {
                made.add(r);
            }
        }
        return made;
    }

    /**
     * Sets up the connection as QEMU does before a guest sees the device: features, protocol features (only those
     * this frontend uses), the queue count when the back-end has MQ (else {@code defaultQueues}), memory slots,
     * SET_OWNER. The transport owns the connection from here on.
     */
    public static VhostUserTransport open(VhostUserConnection connection, MemfdGuestMemory memory, int deviceId,
            int defaultQueues, int maxQueueSize) {
        long offered = connection.getFeatures();
        boolean hasProtocol = (offered & PROTOCOL_FEATURES_BIT) != 0;
        long protocol = 0;
        if (hasProtocol) {
            protocol = connection.getProtocolFeatures() & SUPPORTED_PROTOCOL_FEATURES;
            connection.setProtocolFeatures(protocol);
        }
        int queues = defaultQueues;
        if (ProtocolFeature.MQ.in(protocol)) {
            long n = connection.getQueueNum();
            if (n == 0) {
                throw new IllegalStateException("back-end " + connection.path() + " says GET_QUEUE_NUM 0: no queue to drive");
            }
            queues = (int) Math.min(n, MAX_RINGS);
        }
        if (ProtocolFeature.CONFIGURE_MEM_SLOTS.in(protocol)) {
            long slots = connection.getMaxMemSlots();
            if (slots < memory.regions().size()) {
                throw new IllegalStateException("back-end " + connection.path() + " takes " + slots
                        + " memory slots; the harness announces " + memory.regions().size() + " regions");
            }
        }
        connection.setOwner();
        return new VhostUserTransport(connection, memory, deviceId, queues, maxQueueSize, offered, protocol);
    }

    public VhostUserConnection connection() {
        return connection;
    }

    /** The protocol features both sides use. */
    public long protocolFeatures() {
        return protocolFeatures;
    }

    @Override
    public int deviceId() {
        return deviceId;
    }

    /** The frontend's own copy; asking also checks that the back-end is still there (the driver asks while it waits). */
    @Override
    public int status() {
        connection.checkAlive();
        return status;
    }

    @Override
    public void setStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int next = value;
        if (added(value, DeviceStatus.FEATURES_OK) && !acceptFeatures()) {
            next &= ~DeviceStatus.FEATURES_OK;
        }
        if (added(next, DeviceStatus.DRIVER_OK)) {
            for (VhostUserRing r : made()) {
                if (r.ready) {
                    start(r);
                }
            }
        }
        if (ProtocolFeature.STATUS.in(protocolFeatures)) {
            try {
                connection.setStatus(next);
            } catch (VhostUserRefusedException e) {
                // The back-end may refuse FEATURES_OK this way; the driver then reads it back cleared.
                next &= ~DeviceStatus.FEATURES_OK;
            }
        }
        if (added(next, DeviceStatus.DRIVER_OK) && !connection.replyAck()) {
            // Without acks nothing says the back-end has processed SET_VRING_ENABLE, and a kick it sees before that
            // may be dropped. Any request with a reply is processed after everything sent before it.
            connection.getFeatures();
        }
        status = next;
    }

    private boolean added(int value, int bit) {
        return (value & bit) != 0 && (status & bit) == 0;
    }

    /**
     * As QEMU's virtio core, the frontend refuses FEATURES_OK for a bit the back-end did not offer when the
     * connection was set up (and so for bits above 63, which vhost-user cannot carry); otherwise SET_FEATURES goes
     * out, with bit 30 when protocol features are in use, and a refusal by REPLY_ACK also clears FEATURES_OK.
     */
    private boolean acceptFeatures() {
        if (!driverFeatures.minus(offered).isEmpty()) {
            return false;
        }
        long bits = driverFeatures.word(0) | driverFeatures.word(1) << 32 | (ackProtocolFeatures ? PROTOCOL_FEATURES_BIT : 0);
        try {
            connection.setFeatures(bits);
            return true;
        } catch (VhostUserRefusedException e) {
            return false;
        }
    }

    /** Hands one configured ring to the back-end: size, start index, user addresses, call, err, kick, then enable. */
    private void start(VhostUserRing r) {
        if (made().stream().noneMatch(x -> x.running)) {
            connection.setMemTable(memory.regions(), memory.regions().stream().map(x -> memory.fd()).toList());
        }
        boolean packed = driverFeatures.has(Feature.RING_PACKED);
        connection.setVringNum(r.index, r.size);
        connection.setVringBase(r.index, packed ? PACKED_START : 0);
        long n = r.size;
        long descriptor = memory.userAddress(r.descriptorArea, 16 * n);
        long driver = memory.userAddress(r.driverArea, packed ? 4 : 6 + 2 * n);
        long device = memory.userAddress(r.deviceArea, packed ? 4 : 6 + 8 * n);
        connection.setVringAddr(new VringAddress(r.index, 0, descriptor, device, driver, 0));
        // Kick last: a back-end starts the ring when its kick descriptor turns readable, and the driver may have
        // notified before DRIVER_OK. qemu-storage-daemon 7.2 then uses the call descriptor at once and drops the
        // connection if it has none yet. DPDK's frontend orders them the same way.
        connection.setVringCall(r.index, r.call.fd());
        connection.setVringErr(r.index, r.err.fd());
        connection.setVringKick(r.index, polledRings ? null : r.kick.fd());
        if (ackProtocolFeatures && !ringsLeftDisabled) {
            // With protocol features a ring starts disabled (vhost-user.rst, "Ring states").
            connection.setVringEnable(r.index, true);
        }
        r.running = true;
    }

    /** Stops a running ring: disable first, as QEMU 7.2+ and DPDK frontends do, then GET_VRING_BASE. */
    private void stop(VhostUserRing r) {
        if (ackProtocolFeatures) {
            connection.setVringEnable(r.index, false);
        }
        connection.getVringBase(r.index);
        r.running = false;
    }

    /**
     * Stops one running ring as {@link #stop} does (SET_VRING_ENABLE 0 with protocol features, then GET_VRING_BASE)
     * and returns the back-end's reply, for probes of GET_VRING_BASE. The ring stays configured but stopped: the
     * next reset does not stop it again.
     *
     * @throws IllegalStateException when the ring is not running (before DRIVER_OK, or stopped already)
     */
    public VringState stopRing(int queue) {
        VhostUserRing r = ring(queue);
        if (!r.running) {
            throw new IllegalStateException("ring " + queue + " is not running");
        }
        if (ackProtocolFeatures) {
            connection.setVringEnable(r.index, false);
        }
        VringState s = connection.getVringBase(r.index);
        r.running = false;
        return s;
    }

    /**
     * From the next FEATURES_OK on, SET_FEATURES leaves out bit 30 although the back-end offers it, so rings start
     * enabled and no SET_VRING_ENABLE is sent ("Ring states"). Protocol features already set stay in force: they
     * need no acknowledgement by SET_FEATURES.
     */
    public void declineProtocolFeaturesBit() {
        ackProtocolFeatures = false;
    }

    /** Whether SET_FEATURES carries bit 30, so that rings start disabled. */
    public boolean protocolFeaturesBitAcked() {
        return ackProtocolFeatures;
    }

    /** From the next DRIVER_OK on, rings are handed over without SET_VRING_ENABLE 1, for probes of the disabled state. */
    public void leaveRingsDisabled() {
        ringsLeftDisabled = true;
    }

    /** From the next DRIVER_OK on, rings are handed over with no kick descriptor: the back-end is asked to poll. */
    public void pollRings() {
        polledRings = true;
    }

    /**
     * RESET_DEVICE: the back-end disables every ring and returns to its initial state, keeping its owner and memory
     * table. The frontend forgets the rings and the status as a device reset does; the driver starts over.
     */
    public void resetDevice() {
        connection.resetDevice();
        for (VhostUserRing r : made()) {
            r.forget();
        }
        driverFeatures = FeatureSet.NONE;
        status = 0;
    }

    private void reset() {
        for (VhostUserRing r : made()) {
            if (r.running) {
                stop(r);
            }
            r.forget();
            r.call.take();
            r.err.take();
        }
        if (ProtocolFeature.STATUS.in(protocolFeatures)) {
            connection.setStatus(0);
        }
        driverFeatures = FeatureSet.NONE;
        status = 0;
    }

    @Override
    public FeatureSet deviceFeatures() {
        return FeatureSet.ofBits(connection.getFeatures() & ~VHOST_BITS);
    }

    @Override
    public void setDriverFeatures(FeatureSet features) {
        driverFeatures = features;
    }

    @Override
    public int queueMaxSize(int queue) {
        return queue >= 0 && queue < queueCount ? maxQueueSize : 0;
    }

    @Override
    public void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea) {
        VhostUserRing r = ring(queue);
        r.size = size;
        r.descriptorArea = descriptorArea;
        r.driverArea = driverArea;
        r.deviceArea = deviceArea;
    }

    @Override
    public void setQueueReady(int queue, boolean ready) {
        VhostUserRing r = ring(queue);
        r.ready = ready;
        if ((status & DeviceStatus.DRIVER_OK) != 0) {
            if (ready && !r.running) {
                start(r);
            } else if (!ready && r.running) {
                stop(r);
            }
        }
    }

    @Override
    public boolean queueReady(int queue) {
        return ring(queue).ready;
    }

    /**
     * No: the vhost-user messages this frontend speaks can stop and restart a ring, but nothing resets one queue
     * of the device as VIRTIO_F_RING_RESET means it, so the driver never accepts that feature here.
     */
    @Override
    public boolean queueResetSupported() {
        return false;
    }

    @Override
    public void resetQueue(int queue) {
        throw new UnsupportedOperationException("the vhost-user transport has no queue reset");
    }

    @Override
    public boolean queueResetPending(int queue) {
        throw new UnsupportedOperationException("the vhost-user transport has no queue reset");
    }

    @Override
    public void notifyQueue(int queue) {
        ring(queue).kick.signal();
    }

    /** Bit 0 when any ring's call eventfd fired since the last look; config changes are not reported yet. */
    @Override
    public int takeInterrupts() {
        int pending = 0;
        for (VhostUserRing r : made()) {
            if (r.running && r.call.take() != 0) {
                pending |= 1;
            }
        }
        return pending;
    }

    /** Whether the back-end signalled the ring's err eventfd since the last look. */
    public boolean takeRingError(int queue) {
        return ring(queue).err.take() != 0;
    }

    /** The frontend's own counter: without a back-end channel no configuration change is ever announced. */
    @Override
    public int configGeneration() {
        return configGeneration;
    }

    /**
     * GET_CONFIG from offset 0 through the accessed bytes, as QEMU reads it (libvhost-user back-ends ignore the
     * offset field).
     *
     * @throws ConfigSpaceUnavailableException when the back-end has no CONFIG protocol feature: there is then no
     *         configuration to read, and reading zeros instead would make probes judge values the device never gave
     */
    @Override
    public long readConfig(int offset, int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width " + width);
        }
        if (!ProtocolFeature.CONFIG.in(protocolFeatures)) {
            throw noConfig("read", "GET_CONFIG");
        }
        byte[] b = connection.getConfig(0, offset + width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b[offset + i] & 0xff);
        }
        return v;
    }

    private static ConfigSpaceUnavailableException noConfig(String access, String message) {
        return new ConfigSpaceUnavailableException("the vhost-user back-end did not negotiate the CONFIG protocol "
                + "feature, so the frontend cannot " + access + " its configuration space (" + message + ")");
    }

    /** SET_CONFIG of the written bytes (flags 0: a frontend write, not migration); needs the CONFIG protocol feature. */
    @Override
    public void writeConfig(int offset, int width, long value) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width " + width);
        }
        if (!ProtocolFeature.CONFIG.in(protocolFeatures)) {
            throw noConfig("write", "SET_CONFIG");
        }
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (value >>> 8 * i);
        }
        connection.setConfig(offset, b, 0);
    }

    private VhostUserRing ring(int queue) {
        if (queue < 0 || queue >= queueCount) {
            throw new IllegalArgumentException("queue " + queue + " does not exist: the back-end has " + queueCount);
        }
        if (rings[queue] == null) {
            rings[queue] = new VhostUserRing(queue);
        }
        return rings[queue];
    }

    /** Disconnects (the back-end drops its mappings and rings) and closes every eventfd. */
    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            made().forEach(VhostUserRing::close);
        }
    }
}
