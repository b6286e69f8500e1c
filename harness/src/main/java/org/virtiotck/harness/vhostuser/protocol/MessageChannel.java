package org.virtiotck.harness.vhostuser.protocol;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.harness.vhostuser.linux.NativeCallException;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.UnixStreamSocket;

/**
 * Whole vhost-user messages over a socket, with a deadline on every wait. The back-end is not trusted: a reply
 * is read header first, its size is checked before any payload is read, descriptors that come with a reply are
 * closed and reported, and bytes that arrive unasked are reported before the next request goes out. After any
 * such failure the channel refuses further use, because the stream can no longer be in step.
 */
final class MessageChannel implements AutoCloseable {
    /** Far above every reply this frontend asks for (the largest is GET_CONFIG: 12 + 256 bytes). */
    static final int MAX_PAYLOAD = 4096;
    private static final long ECONNRESET = 104;
    private static final long EPIPE = 32;

    private final UnixStreamSocket socket;
    private final Duration timeout;
    private String broken;

    MessageChannel(UnixStreamSocket socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    long newDeadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Sends one message; {@code what} names it in errors ("SET_MEM_TABLE (5)"). */
    void send(String what, MessageHeader header, byte[] payload, List<OwnedFd> fds, long deadline) {
        usable();
        if (socket.hasPendingInput()) {
            fail(unasked(what));
        }
        byte[] message = new byte[MessageHeader.BYTES + payload.length];
        System.arraycopy(header.encode(), 0, message, 0, MessageHeader.BYTES);
        System.arraycopy(payload, 0, message, MessageHeader.BYTES, payload.length);
        int sent = 0;
        while (sent < message.length) {
            int n;
            try {
                n = socket.send(message, sent, message.length - sent, sent == 0 ? fds : List.of());
            } catch (NativeCallException e) {
                throw disconnected(e, "while sending " + what);
            }
            if (n > 0) {
                sent += n;
            } else if (socket.awaitWritable(deadline) == 0) {
                throw timedOut("accept " + what + " (" + sent + " of " + message.length + " bytes sent)");
            }
        }
    }

    /**
     * Receives the reply to {@code request}: header first, checked for request code, flags (exactly version 1
     * and REPLY, as QEMU demands) and a size among {@code sizes}; then the payload.
     */
    byte[] receiveReply(Request request, long deadline, int... sizes) {
        usable();
        byte[] head = new byte[MessageHeader.BYTES];
        readFully(head, "reply to " + request + ": header", deadline);
        MessageHeader h = MessageHeader.decode(head);
        if (h.request() != request.code()) {
            fail("reply to " + request + " has request code " + Integer.toUnsignedString(h.request()) + " ("
                    + Request.describe(h.request()) + "), header " + h);
        }
        if (h.flags() != (MessageHeader.VERSION | MessageHeader.REPLY)) {
            fail("reply to " + request + " has flags 0x" + Integer.toHexString(h.flags())
                    + ", expected 0x5 (version 1 with REPLY), header " + h);
        }
        if (Integer.compareUnsigned(h.size(), MAX_PAYLOAD) > 0) {
            fail("reply to " + request + " declares a payload of " + Integer.toUnsignedString(h.size())
                    + " bytes, more than the " + MAX_PAYLOAD + " any reply may have, header " + h);
        }
        boolean expected = false;
        for (int s : sizes) {
            expected |= s == h.size();
        }
        if (!expected) {
            fail("reply to " + request + " has payload size " + h.size() + ", expected "
                    + (sizes.length == 1 ? sizes[0] : java.util.Arrays.toString(sizes)) + ", header " + h);
        }
        byte[] payload = new byte[h.size()];
        readFully(payload, "reply to " + request + ": " + h.size() + "-byte payload", deadline);
        return payload;
    }

    private void readFully(byte[] dst, String what, long deadline) {
        int got = 0;
        while (got < dst.length) {
            UnixStreamSocket.Received r;
            try {
                r = socket.receive(dst, got, dst.length - got);
            } catch (NativeCallException e) {
                throw disconnected(e, "while reading the " + what);
            }
            if (!r.fds().isEmpty() || r.descriptorsTruncated()) {
                r.fds().forEach(OwnedFd::close);
                fail(what + " came with " + r.fds().size() + " file descriptor(s)"
                        + (r.descriptorsTruncated() ? " and more the kernel dropped" : "") + "; replies carry none");
            }
            if (r.bytes() == 0) {
                broken = "the back-end closed the connection";
                throw new VhostUserDisconnectedException("back-end " + socket.path() + " closed the connection after "
                        + got + " of " + dst.length + " bytes of the " + what);
            }
            if (r.bytes() > 0) {
                got += r.bytes();
            } else if (socket.awaitReadable(deadline) == 0) {
                throw timedOut("send the " + what + " (" + got + " of " + dst.length + " bytes arrived)");
            }
        }
    }

    /**
     * Between requests the back-end has nothing to say on this socket: bytes or end of stream now mean it broke the
     * protocol or went away. Checked while the driver waits on a ring, so a back-end that dies mid-request is
     * reported as gone at once, not as a timeout. Does nothing once the connection is closed or known broken.
     */
    void checkPeer() {
        if (broken == null && socket.isOpen() && socket.hasPendingInput()) {
            fail(unasked("the driver's next request"));
        }
    }

    private String unasked(String what) {
        byte[] junk = new byte[64];
        UnixStreamSocket.Received r = socket.receive(junk, 0, junk.length);
        r.fds().forEach(OwnedFd::close);
        if (r.bytes() == 0) {
            broken = "the back-end closed the connection";
            throw new VhostUserDisconnectedException("back-end " + socket.path() + " closed the connection before "
                    + what + " was sent");
        }
        return "back-end sent " + Math.max(r.bytes(), 0) + " bytes nobody asked for before " + what + ": "
                + HexFormat.ofDelimiter(" ").formatHex(junk, 0, Math.max(r.bytes(), 0))
                + (r.fds().isEmpty() ? "" : ", with " + r.fds().size() + " file descriptor(s)");
    }

    private DeviceTimeoutException timedOut(String awaited) {
        // A late reply would arrive out of step with the next request.
        broken = "an earlier request timed out";
        return new DeviceTimeoutException(awaited + " on " + socket.path(), timeout);
    }

    private RuntimeException disconnected(NativeCallException e, String when) {
        if (e.errno() != ECONNRESET && e.errno() != EPIPE) {
            throw e;
        }
        broken = "the back-end closed the connection";
        return new VhostUserDisconnectedException("back-end " + socket.path() + " closed the connection " + when
                + " (" + e.getMessage() + ")");
    }

    private void fail(String message) {
        broken = message;
        throw new VhostUserProtocolException(message);
    }

    private void usable() {
        if (broken != null) {
            throw new IllegalStateException("vhost-user connection to " + socket.path() + " is unusable: " + broken);
        }
        if (!socket.isOpen()) {
            throw new IllegalStateException("vhost-user connection to " + socket.path() + " is closed");
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
