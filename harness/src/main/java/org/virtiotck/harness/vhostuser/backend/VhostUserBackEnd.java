package org.virtiotck.harness.vhostuser.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.harness.inproc.DeviceHost;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.PackedDeviceQueue;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;
import org.virtiotck.harness.vhostuser.linux.EventFd;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.Poll;
import org.virtiotck.harness.vhostuser.linux.UnixStreamSocket;
import org.virtiotck.harness.vhostuser.protocol.DeviceConfig;
import org.virtiotck.harness.vhostuser.protocol.MemoryRegion;
import org.virtiotck.harness.vhostuser.protocol.MessageHeader;
import org.virtiotck.harness.vhostuser.protocol.Payload;
import org.virtiotck.harness.vhostuser.protocol.ProtocolFeature;
import org.virtiotck.harness.vhostuser.protocol.Request;
import org.virtiotck.harness.vhostuser.protocol.VhostUserConnection;
import org.virtiotck.harness.vhostuser.protocol.VringAddress;
import org.virtiotck.harness.vhostuser.protocol.VringState;

/**
 * A small vhost-user back-end serving one in-process {@link VirtioDevice} at a socket path, on its own thread,
 * one frontend connection at a time: the reference back-end that proves the vhost-user probes can FAIL (with a
 * {@link BackEndFault} planted) and PASS (without). Not a product: rings start at index 0 only, no MQ, STATUS,
 * back-end channel or dirty logging.
 *
 * <p>It offers the device's features (low 64 bits) with PROTOCOL_FEATURES (bit 30), and the protocol features
 * REPLY_ACK, CONFIG and RESET_DEVICE. A ring whose SET_VRING_KICK came without a descriptor is polled. Rings follow vhost-user.rst's ring states: started by SET_VRING_KICK, stopped by
 * GET_VRING_BASE, and when PROTOCOL_FEATURES was negotiated disabled until SET_VRING_ENABLE 1. A started and
 * enabled ring is processed whenever its kick eventfd turns readable, through a {@link SplitDeviceQueue} or
 * {@link PackedDeviceQueue} over the mapped regions, and its call eventfd is signalled when the ring asks for it.
 * A chain the device finds malformed stops the ring and signals its err eventfd. When the frontend disconnects
 * every mapping and descriptor of the connection is released and the device reset.
 */
public final class VhostUserBackEnd implements AutoCloseable {
    /** The protocol features offered. */
    public static final long PROTOCOL_FEATURES = ProtocolFeature.maskOf(ProtocolFeature.REPLY_ACK, ProtocolFeature.CONFIG,
            ProtocolFeature.RESET_DEVICE);
    private static final long PROTOCOL_FEATURES_BIT = 1L << ProtocolFeature.VHOST_USER_F_PROTOCOL_FEATURES;
    private static final int MAX_PAYLOAD = 4096;
    private static final long TICK_NANOS = 50_000_000L;
    /** How often a polled ring (no kick descriptor) is looked at. */
    private static final long POLL_NANOS = 1_000_000L;
    private static final long MESSAGE_NANOS = 5_000_000_000L;

    private final Path path;
    private final VirtioDevice device;
    private final Set<BackEndFault> faults;
    private final UnixStreamSocket server;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private int connections;
    /** Connections accepted and left unserved ({@link BackEndFault#HANGS_AFTER_ACTIVE_DISCONNECT}); closed at the end. */
    private final List<UnixStreamSocket> idle = new ArrayList<>();
    private boolean hung;
    /** The connection being served; guarded by {@code this}, as is everything the device touches. */
    private Connection current;

    private VhostUserBackEnd(Path path, VirtioDevice device, Set<BackEndFault> faults) {
        this.path = path;
        this.device = device;
        this.faults = faults.isEmpty() ? EnumSet.noneOf(BackEndFault.class) : EnumSet.copyOf(faults);
        this.server = UnixStreamSocket.listen(path);
        device.attach(new Host());
        this.thread = new Thread(this::serve, "vhost-user back-end " + path);
        thread.setDaemon(true);
    }

    /** Listens at {@code path} (which must not exist) and serves {@code device} until {@link #close()}. */
    public static VhostUserBackEnd start(Path path, VirtioDevice device, BackEndFault... faults) {
        VhostUserBackEnd b = new VhostUserBackEnd(path, device, Set.of(faults));
        b.thread.start();
        return b;
    }

    public Path path() {
        return path;
    }

    /** Connections accepted so far. */
    public synchronized int connections() {
        return connections;
    }

    /** What ended the serving thread abnormally, if anything did: a test asserts it is null. */
    public Throwable failure() {
        return failure;
    }

    private void serve() {
        try {
            while (running) {
                UnixStreamSocket s = server.accept(System.nanoTime() + TICK_NANOS);
                if (s == null) {
                    continue;
                }
                if (hung) {
                    // Accepted but never served: the frontend waits for replies that never come.
                    idle.add(s);
                    continue;
                }
                Connection c = new Connection(s);
                synchronized (this) {
                    connections++;
                    current = c;
                }
                try {
                    c.serve();
                } finally {
                    synchronized (this) {
                        hung = faults.contains(BackEndFault.HANGS_AFTER_ACTIVE_DISCONNECT) && c.anyRingStarted();
                        current = null;
                        c.close();
                        device.reset();
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            idle.forEach(UnixStreamSocket::close);
            server.close();
        }
    }

    /** Stops serving: drops the connection, removes the socket path, and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("vhost-user back-end " + path + " did not stop within 10 s");
        }
    }

    /** Work the device starts itself (a net frame, console input) runs under the same lock as the connection. */
    private final class Host implements DeviceHost {
        @Override
        public void serviceQueue(int queueIndex) {
            synchronized (VhostUserBackEnd.this) {
                if (current != null && queueIndex < current.rings.length) {
                    current.process(current.rings[queueIndex]);
                }
            }
        }

        @Override
        public void configChanged() {
            // No back-end channel: the frontend is never told.
        }
    }

    /** One vring's state as the frontend set it. */
    private static final class Ring {
        final int index;
        int num;
        VringAddress address;
        int base;
        EventFd kick;
        EventFd call;
        EventFd err;
        /** SET_VRING_KICK came with the no-fd flag: the ring is looked at without waiting for kicks. */
        boolean polled;
        /** Started by SET_VRING_KICK, stopped by GET_VRING_BASE. */
        boolean started;
        boolean enabled;
        boolean broken;
        DeviceQueue queue;

        Ring(int index) {
            this.index = index;
        }

        void close() {
            for (EventFd e : new EventFd[] {kick, call, err}) {
                if (e != null) {
                    e.close();
                }
            }
            kick = call = err = null;
            polled = false;
        }
    }

    /** One frontend connection, served on the back-end's thread. */
    private final class Connection {
        private final UnixStreamSocket socket;
        private final Ring[] rings = new Ring[device.queueCount()];
        private MappedGuestMemory memory;
        private long protocol;
        private FeatureSet features = FeatureSet.NONE;
        private boolean protocolFeaturesAcked;

        Connection(UnixStreamSocket socket) {
            this.socket = socket;
            for (int i = 0; i < rings.length; i++) {
                rings[i] = new Ring(i);
            }
        }

        boolean anyRingStarted() {
            for (Ring r : rings) {
                if (r.started) {
                    return true;
                }
            }
            return false;
        }

        private boolean processable(Ring r) {
            if (r.queue == null || r.broken || (r.kick == null && !r.polled)) {
                return false;
            }
            if (faults.contains(BackEndFault.PROCESSES_STOPPED_RING)) {
                return true;
            }
            return r.started && (r.enabled || !protocolFeaturesAcked || faults.contains(BackEndFault.RINGS_START_ENABLED));
        }

        void serve() {
            while (running && socket.isOpen()) {
                List<OwnedFd> fds = new ArrayList<>();
                List<Ring> kicked = new ArrayList<>();
                List<Ring> polled = new ArrayList<>();
                fds.add(socket.fd());
                synchronized (VhostUserBackEnd.this) {
                    for (Ring r : rings) {
                        if (processable(r) && r.kick != null) {
                            fds.add(r.kick.fd());
                            kicked.add(r);
                        } else if (processable(r) && !faults.contains(BackEndFault.NEVER_POLLS)) {
                            polled.add(r);
                        }
                    }
                }
                int[] ready = Poll.awaitAny(fds, (short) 1, System.nanoTime() + (polled.isEmpty() ? TICK_NANOS : POLL_NANOS));
                synchronized (VhostUserBackEnd.this) {
                    polled.forEach(this::process);
                    for (int i = 1; i < ready.length; i++) {
                        Ring r = kicked.get(i - 1);
                        if (ready[i] != 0 && processable(r)) {
                            r.kick.take();
                            if (faults.contains(BackEndFault.DIES_ON_KICK)) {
                                return;
                            }
                            if (faults.contains(BackEndFault.HANGS_ON_KICK)) {
                                hangUntilClosed();
                                return;
                            }
                            process(r);
                        }
                    }
                    if (ready[0] != 0 && !handleOne()) {
                        return;
                    }
                }
            }
        }

        /** Neither reads the socket nor processes a ring again: a back-end stuck in a loop or a lock. */
        private void hangUntilClosed() {
            while (running) {
                try {
                    VhostUserBackEnd.this.wait(TICK_NANOS / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void process(Ring r) {
            if (!processable(r)) {
                return;
            }
            try {
                device.process(r.index, r.queue);
                if (r.queue.takeUsedNotification() && r.call != null) {
                    r.call.signal();
                }
            } catch (RuntimeException e) {
                // A malformed chain or a buffer outside guest memory: the ring is unusable until set up again.
                r.broken = true;
                if (r.err != null) {
                    r.err.signal();
                }
            }
        }

        /** Reads and answers one message; false when the frontend has gone or broke the protocol. */
        private boolean handleOne() {
            long deadline = System.nanoTime() + MESSAGE_NANOS;
            List<OwnedFd> fds = new ArrayList<>();
            try {
                byte[] head = new byte[MessageHeader.BYTES];
                if (!read(head, fds, deadline)) {
                    return false;
                }
                MessageHeader h = MessageHeader.decode(head);
                if (Integer.compareUnsigned(h.size(), MAX_PAYLOAD) > 0) {
                    return false;
                }
                byte[] payload = new byte[h.size()];
                if (!read(payload, fds, deadline)) {
                    return false;
                }
                return handle(h, payload, fds, deadline);
            } catch (RuntimeException e) {
                // A message this back-end cannot make sense of: drop the connection, as QEMU's back-ends do.
                return false;
            } finally {
                fds.forEach(OwnedFd::close);
            }
        }

        private boolean read(byte[] dst, List<OwnedFd> fds, long deadline) {
            int got = 0;
            while (got < dst.length) {
                UnixStreamSocket.Received r = socket.receive(dst, got, dst.length - got);
                fds.addAll(r.fds());
                if (r.bytes() == 0) {
                    return false;
                }
                if (r.bytes() > 0) {
                    got += r.bytes();
                } else if (socket.awaitReadable(deadline) == 0) {
                    return false;
                }
            }
            return true;
        }

        private void send(int request, byte[] payload, long deadline) {
            byte[] message = MessageHeader.reply(request, payload.length).encode(payload);
            int sent = 0;
            while (sent < message.length) {
                int n = socket.send(message, sent, message.length - sent, List.of());
                sent += n;
                if (n == 0 && socket.awaitWritable(deadline) == 0) {
                    throw new IllegalStateException("frontend does not read its replies");
                }
            }
        }

        /** Takes the one descriptor a message carries; the list keeps the rest, closed by the caller. */
        private EventFd eventFd(List<OwnedFd> fds, long flags) {
            if ((flags & VhostUserConnection.VRING_NOFD) != 0 || fds.isEmpty()) {
                return null;
            }
            return EventFd.adopt(fds.remove(0));
        }

        private Ring ring(long index) {
            if (index < 0 || index >= rings.length) {
                throw new IllegalArgumentException("ring " + index + " of " + rings.length);
            }
            return rings[(int) index];
        }

        private boolean handle(MessageHeader h, byte[] payload, List<OwnedFd> fds, long deadline) {
            Request request = Request.of(h.request()).orElse(null);
            long status = 0;
            if (request == null) {
                status = 1;
            } else {
                switch (request) {
                    case GET_FEATURES -> send(h.request(), Payload.u64(device.offeredFeatures().word(0)
                            | device.offeredFeatures().word(1) << 32 | PROTOCOL_FEATURES_BIT), deadline);
                    case SET_FEATURES -> {
                        long bits = Payload.u64(payload);
                        protocolFeaturesAcked = (bits & PROTOCOL_FEATURES_BIT) != 0;
                        features = FeatureSet.ofBits(bits & ~PROTOCOL_FEATURES_BIT);
                        device.featuresNegotiated(features);
                    }
                    case GET_PROTOCOL_FEATURES -> send(h.request(), Payload.u64(PROTOCOL_FEATURES), deadline);
                    case SET_PROTOCOL_FEATURES -> protocol = Payload.u64(payload) & PROTOCOL_FEATURES;
                    case SET_OWNER -> {
                    }
                    case RESET_OWNER, RESET_DEVICE -> {
                        for (Ring r : faults.contains(BackEndFault.RESET_KEEPS_RINGS) ? new Ring[0] : rings) {
                            r.started = false;
                            r.queue = null;
                        }
                        device.reset();
                    }
                    case SET_MEM_TABLE -> {
                        List<MemoryRegion> table = MemoryRegion.decodeTable(payload);
                        MappedGuestMemory m = new MappedGuestMemory(table, fds);
                        if (memory != null) {
                            memory.close();
                        }
                        memory = m;
                    }
                    case SET_VRING_NUM -> {
                        VringState s = VringState.decode(payload);
                        ring(s.index()).num = s.num();
                    }
                    case SET_VRING_ADDR -> {
                        VringAddress a = VringAddress.decode(payload);
                        ring(a.index()).address = a;
                    }
                    case SET_VRING_BASE -> {
                        VringState s = VringState.decode(payload);
                        ring(s.index()).base = s.num();
                        // The device queues start at index 0 (packed: with both wrap counters set).
                        int start = features.has(Feature.RING_PACKED) ? 0x8000 : 0;
                        if ((s.num() & 0xffff) != start) {
                            status = 1;
                        }
                    }
                    case GET_VRING_BASE -> {
                        VringState s = VringState.decode(payload);
                        Ring r = ring(s.index());
                        r.started = false;
                        int base = nextAvail(r);
                        if (faults.contains(BackEndFault.VRING_BASE_OFF_BY_ONE)) {
                            base = r.queue instanceof PackedDeviceQueue ? (base & 0x8000) | ((base + 1) & 0x7fff)
                                    : (base + 1) & 0xffff;
                        }
                        send(h.request(), new VringState(r.index, base).encode(), deadline);
                    }
                    case SET_VRING_KICK -> {
                        long v = Payload.u64(payload);
                        Ring r = ring(v & 0xff);
                        EventFd kick = eventFd(fds, v);
                        if (kick != null && faults.contains(BackEndFault.DROPS_EARLY_KICK)) {
                            kick.take();
                        }
                        if (r.kick != null) {
                            r.kick.close();
                        }
                        r.kick = kick;
                        r.polled = kick == null;
                        status = startRing(r) ? 0 : 1;
                    }
                    case SET_VRING_CALL, SET_VRING_ERR -> {
                        long v = Payload.u64(payload);
                        Ring r = ring(v & 0xff);
                        EventFd e = eventFd(fds, v);
                        EventFd old = request == Request.SET_VRING_CALL ? r.call : r.err;
                        if (old != null) {
                            old.close();
                        }
                        if (request == Request.SET_VRING_CALL) {
                            r.call = e;
                        } else {
                            r.err = e;
                        }
                    }
                    case SET_VRING_ENABLE -> {
                        VringState s = VringState.decode(payload);
                        ring(s.index()).enabled = s.num() != 0;
                    }
                    case GET_QUEUE_NUM -> send(h.request(), Payload.u64(rings.length), deadline);
                    case GET_CONFIG -> send(h.request(), config(DeviceConfig.decode(payload)), deadline);
                    case SET_CONFIG -> {
                        DeviceConfig c = DeviceConfig.decode(payload);
                        byte[] b = c.bytes();
                        if (c.offset() < 0 || c.offset() + b.length > device.config().length) {
                            status = 1;
                        } else {
                            for (int i = 0; i < b.length; i++) {
                                device.writeConfig(c.offset() + i, 1, b[i] & 0xff);
                            }
                        }
                    }
                    default -> status = 1;
                }
            }
            boolean ownReply = request != null && request.reply() != Request.Reply.NONE;
            boolean needReply = (h.flags() & MessageHeader.NEED_REPLY) != 0 && ProtocolFeature.REPLY_ACK.in(protocol);
            boolean skipped = request == Request.SET_VRING_NUM && faults.contains(BackEndFault.NO_ACK_FOR_SET_VRING_NUM);
            if (!ownReply && needReply && !skipped) {
                send(h.request(), Payload.u64(status), deadline);
            }
            return true;
        }

        /** GET_CONFIG: the bytes asked for, or an empty reply (a refusal) when they lie outside the config space. */
        private byte[] config(DeviceConfig asked) {
            byte[] space = device.config();
            int size = asked.bytes().length;
            if (asked.offset() < 0 || asked.offset() + size > space.length) {
                return new byte[0];
            }
            int end = asked.offset() + size - (faults.contains(BackEndFault.SHORT_CONFIG_REPLY) ? 1 : 0);
            return new DeviceConfig(asked.offset(), asked.flags(),
                    java.util.Arrays.copyOfRange(space, asked.offset(), end)).encode();
        }

        /** Where the ring would continue: the next available index (packed: with its wrap counter in bit 15). */
        private int nextAvail(Ring r) {
            if (r.queue instanceof SplitDeviceQueue s) {
                return s.lastAvail() & 0xffff;
            }
            if (r.queue instanceof PackedDeviceQueue p) {
                return p.nextAvail() | (p.availWrapCounter() ? 0x8000 : 0);
            }
            return r.base;
        }

        /** Builds the device queue from what the frontend set; false when the ring cannot be laid out. */
        private boolean startRing(Ring r) {
            r.queue = null;
            r.broken = false;
            if (memory == null || r.address == null) {
                return false;
            }
            long desc = memory.guestAddress(r.address.descriptor());
            long driver = memory.guestAddress(r.address.available());
            long used = memory.guestAddress(r.address.used());
            if (desc < 0 || driver < 0 || used < 0) {
                return false;
            }
            RingFeatures rf = RingFeatures.of(features);
            try {
                r.queue = features.has(Feature.RING_PACKED)
                        ? new PackedDeviceQueue(memory, r.num, desc, driver, used, rf)
                        : new SplitDeviceQueue(memory, r.num, desc, driver, used, rf);
            } catch (IllegalArgumentException e) {
                return false;
            }
            r.started = true;
            return true;
        }

        void close() {
            socket.close();
            for (Ring r : rings) {
                r.close();
            }
            if (memory != null) {
                memory.close();
                memory = null;
            }
        }
    }
}
