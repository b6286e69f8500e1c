package org.virtiotck.harness.vhostuser.protocol;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.UnixStreamSocket;

/**
 * The front-end side of one vhost-user connection: one method per request, each waiting for the reply the
 * request owes. Once REPLY_ACK is negotiated every request without a reply of its own is sent with NEED_REPLY,
 * so each is confirmed before the next and a refusal surfaces at the request that caused it.
 */
public final class VhostUserConnection implements AutoCloseable {
    /** SET_VRING_KICK/CALL/ERR: ring index in bits 0-7, bit 8 set when no descriptor is sent. */
    public static final long VRING_NOFD = 1L << 8;
    private static final int MAX_RING_INDEX = 0xff;

    private final MessageChannel channel;
    private final Path path;
    private boolean replyAck;
    private RequestTrace trace = RequestTrace.OFF;

    private VhostUserConnection(UnixStreamSocket socket, Duration timeout) {
        this.channel = new MessageChannel(socket, timeout);
        this.path = socket.path();
    }

    /** Connects to a back-end listening at {@code path}; connection errors are {@code NativeCallException}s. */
    public static VhostUserConnection connect(Path path, Duration timeout) {
        return new VhostUserConnection(UnixStreamSocket.connect(path), timeout);
    }

    /** A connection over a socket already connected to a back-end (a socketpair in tests). */
    public static VhostUserConnection over(UnixStreamSocket socket, Duration timeout) {
        return new VhostUserConnection(socket, timeout);
    }

    public Path path() {
        return path;
    }

    public Duration timeout() {
        return channel.timeout();
    }

    /** Where every message sent and every reply received is recorded, from now on. */
    public void trace(RequestTrace trace) {
        this.trace = trace;
    }

    /** Whether requests without a reply of their own are confirmed (REPLY_ACK negotiated). */
    public boolean replyAck() {
        return replyAck;
    }

    /**
     * Sends any request and returns the reply payload (empty when there is none). {@code needReply} asks for a
     * REPLY_ACK on a request that has no reply of its own; a non-zero ack is a {@link VhostUserRefusedException}.
     * Probes use this to send what the typed methods would not.
     */
    public byte[] call(Request request, byte[] payload, List<OwnedFd> fds, boolean needReply) {
        if (!trace.on()) {
            return exchange(request, payload, fds, needReply);
        }
        boolean ack = needReply && request.reply() == Request.Reply.NONE;
        trace.record("vhost-user -> " + request + (ack ? " NEED_REPLY" : "") + ", " + fds.size() + " fds, payload "
                + Hex.bytes(payload));
        try {
            byte[] reply = exchange(request, payload, fds, needReply);
            if (request.reply() != Request.Reply.NONE || reply.length > 0) {
                trace.record("vhost-user <- " + request + " reply " + Hex.bytes(reply));
            }
            return reply;
        } catch (RuntimeException e) {
            trace.record("vhost-user " + request + " failed: " + e.getMessage());
            throw e;
        }
    }

    private byte[] exchange(Request request, byte[] payload, List<OwnedFd> fds, boolean needReply) {
        boolean ack = needReply && request.reply() == Request.Reply.NONE;
        int flags = MessageHeader.VERSION | (ack ? MessageHeader.NEED_REPLY : 0);
        long deadline = channel.newDeadline();
        channel.send(request.toString(), new MessageHeader(request.code(), flags, payload.length), payload, fds, deadline);
        switch (request.reply()) {
            case U64:
                return channel.receiveReply(request, deadline, 8);
            case VRING_STATE:
                return channel.receiveReply(request, deadline, VringState.BYTES);
            case CONFIG:
                // An empty reply is how a back-end says it cannot serve the read.
                return channel.receiveReply(request, deadline, 0, payload.length);
            default:
                if (ack) {
                    long status = Payload.u64(channel.receiveReply(request, deadline, 8));
                    if (status != 0) {
                        throw new VhostUserRefusedException(request, status, "back-end refused " + request
                                + ": REPLY_ACK 0x" + Long.toHexString(status));
                    }
                }
                return new byte[0];
        }
    }

    private byte[] call(Request request, byte[] payload, List<OwnedFd> fds) {
        return call(request, payload, fds, replyAck);
    }

    private byte[] call(Request request, byte[] payload) {
        return call(request, payload, List.of(), replyAck);
    }

    public long getFeatures() {
        return Payload.u64(call(Request.GET_FEATURES, new byte[0]));
    }

    public void setFeatures(long features) {
        call(Request.SET_FEATURES, Payload.u64(features));
    }

    public long getProtocolFeatures() {
        return Payload.u64(call(Request.GET_PROTOCOL_FEATURES, new byte[0]));
    }

    /** Sets the protocol features; REPLY_ACK applies from the next request on when it is among them. */
    public void setProtocolFeatures(long features) {
        call(Request.SET_PROTOCOL_FEATURES, Payload.u64(features));
        replyAck = ProtocolFeature.REPLY_ACK.in(features);
    }

    public void setOwner() {
        call(Request.SET_OWNER, new byte[0]);
    }

    public void resetOwner() {
        call(Request.RESET_OWNER, new byte[0]);
    }

    /** One descriptor per region, in the same order; they may be the same descriptor. */
    public void setMemTable(List<MemoryRegion> regions, List<OwnedFd> fds) {
        if (regions.size() != fds.size()) {
            throw new IllegalArgumentException(regions.size() + " regions but " + fds.size() + " descriptors");
        }
        call(Request.SET_MEM_TABLE, MemoryRegion.table(regions), fds);
    }

    public void setVringNum(int index, int num) {
        call(Request.SET_VRING_NUM, new VringState(index, num).encode());
    }

    public void setVringAddr(VringAddress address) {
        call(Request.SET_VRING_ADDR, address.encode());
    }

    public void setVringBase(int index, int base) {
        call(Request.SET_VRING_BASE, new VringState(index, base).encode());
    }

    /** Stops the ring and returns where the back-end would continue; the reply must name the same ring. */
    public VringState getVringBase(int index) {
        VringState s = VringState.decode(call(Request.GET_VRING_BASE, new VringState(index, 0).encode()));
        if (s.index() != index) {
            throw new VhostUserProtocolException("reply to " + Request.GET_VRING_BASE + " for ring " + index
                    + " names ring " + Integer.toUnsignedString(s.index()) + " (num " + Integer.toUnsignedString(s.num()) + ")");
        }
        return s;
    }

    /** Sets the kick descriptor; {@code fd} null sends the no-descriptor flag (the back-end polls). */
    public void setVringKick(int index, OwnedFd fd) {
        vringFd(Request.SET_VRING_KICK, index, fd);
    }

    public void setVringCall(int index, OwnedFd fd) {
        vringFd(Request.SET_VRING_CALL, index, fd);
    }

    public void setVringErr(int index, OwnedFd fd) {
        vringFd(Request.SET_VRING_ERR, index, fd);
    }

    private void vringFd(Request request, int index, OwnedFd fd) {
        if (index < 0 || index > MAX_RING_INDEX) {
            throw new IllegalArgumentException(request + " for ring " + index + ": the index field has 8 bits");
        }
        call(request, Payload.u64(index | (fd == null ? VRING_NOFD : 0)), fd == null ? List.of() : List.of(fd));
    }

    public void setVringEnable(int index, boolean enable) {
        call(Request.SET_VRING_ENABLE, new VringState(index, enable ? 1 : 0).encode());
    }

    public long getQueueNum() {
        return Payload.u64(call(Request.GET_QUEUE_NUM, new byte[0]));
    }

    /**
     * Reads {@code size} bytes of device configuration from {@code offset}. The reply must repeat offset and size;
     * an empty reply (the back-end's way to say no) is a {@link VhostUserRefusedException}.
     */
    public byte[] getConfig(int offset, int size) {
        DeviceConfig request = new DeviceConfig(offset, 0, new byte[size]);
        byte[] reply = call(Request.GET_CONFIG, request.encode());
        if (reply.length == 0) {
            throw new VhostUserRefusedException(Request.GET_CONFIG, 0, "back-end refused " + Request.GET_CONFIG
                    + " of " + size + " bytes at offset " + offset + " with an empty reply");
        }
        var b = Payload.wrap(reply);
        int gotOffset = b.getInt();
        int gotSize = b.getInt();
        if (gotOffset != offset || gotSize != size) {
            throw new VhostUserProtocolException("reply to " + Request.GET_CONFIG + " of " + size + " bytes at offset "
                    + offset + " says " + Integer.toUnsignedString(gotSize) + " bytes at offset " + Integer.toUnsignedString(gotOffset));
        }
        return java.util.Arrays.copyOfRange(reply, DeviceConfig.HEADER_BYTES, reply.length);
    }

    public void setConfig(int offset, byte[] bytes, int flags) {
        call(Request.SET_CONFIG, new DeviceConfig(offset, flags, bytes).encode());
    }

    public void resetDevice() {
        call(Request.RESET_DEVICE, new byte[0]);
    }

    public void setStatus(int status) {
        call(Request.SET_STATUS, Payload.u64(status & 0xffL));
    }

    /** The back-end's device status; a value wider than the 8-bit status field is a protocol error. */
    public int getStatus() {
        long s = Payload.u64(call(Request.GET_STATUS, new byte[0]));
        if ((s & ~0xffL) != 0) {
            throw new VhostUserProtocolException("reply to " + Request.GET_STATUS + " is 0x" + Long.toHexString(s)
                    + ", wider than the 8-bit device status");
        }
        return (int) s;
    }

    public long getMaxMemSlots() {
        return Payload.u64(call(Request.GET_MAX_MEM_SLOTS, new byte[0]));
    }

    /**
     * Throws {@link VhostUserDisconnectedException} when the back-end has closed the connection, or
     * {@link VhostUserProtocolException} when it sent something unasked; otherwise returns at once.
     */
    public void checkAlive() {
        channel.checkPeer();
    }

    /** Drops the connection: the back-end sees end of stream and, by convention, forgets this session. */
    @Override
    public void close() {
        channel.close();
    }

}
