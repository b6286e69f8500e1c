package org.virtiotck.harness.vhostuser.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.UnixStreamSocket;

/**
 * A back-end played by a test on the far end of a socketpair: it reads each request whole, records it, and
 * writes whatever raw bytes the test's script returns for it (nothing, for requests that get no reply; null
 * closes the connection). Lets tests make a back-end misbehave in exactly one way.
 */
public final class FakeBackEnd implements AutoCloseable {
    public record Received(MessageHeader header, byte[] payload, int fds) {
    }

    private final UnixStreamSocket socket;
    private final Thread thread;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private UnixStreamSocket frontEnd;

    private FakeBackEnd(UnixStreamSocket socket, Function<Received, byte[]> script) {
        this.socket = socket;
        this.thread = new Thread(() -> serve(script), "fake vhost-user back-end");
        thread.setDaemon(true);
        thread.start();
    }

    /** A connection whose back-end answers as {@code script} says. */
    public static FakeBackEnd start(Function<Received, byte[]> script) {
        UnixStreamSocket[] pair = UnixStreamSocket.pair("fake");
        FakeBackEnd b = new FakeBackEnd(pair[1], script);
        b.frontEnd = pair[0];
        return b;
    }

    public VhostUserConnection connection(long timeoutMillis) {
        return VhostUserConnection.over(frontEnd, java.time.Duration.ofMillis(timeoutMillis));
    }

    public Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the back-end received no request");
        }
        return r;
    }

    public static byte[] reply(int request, int flags, byte[] payload) {
        byte[] m = new byte[MessageHeader.BYTES + payload.length];
        System.arraycopy(new MessageHeader(request, flags, payload.length).encode(), 0, m, 0, MessageHeader.BYTES);
        System.arraycopy(payload, 0, m, MessageHeader.BYTES, payload.length);
        return m;
    }

    /** A well-formed reply to {@code r}. */
    public static byte[] ok(Received r, byte[] payload) {
        return reply(r.header().request(), 0x5, payload);
    }

    private void serve(Function<Received, byte[]> script) {
        try {
            while (socket.isOpen()) {
                byte[] head = new byte[MessageHeader.BYTES];
                List<OwnedFd> fds = new ArrayList<>();
                if (!read(head, fds)) {
                    return;
                }
                MessageHeader h = MessageHeader.decode(head);
                byte[] payload = new byte[h.size()];
                if (!read(payload, fds)) {
                    return;
                }
                Received r = new Received(h, payload, fds.size());
                fds.forEach(OwnedFd::close);
                received.add(r);
                byte[] out = script.apply(r);
                if (out == null) {
                    socket.close();
                    return;
                }
                for (int sent = 0; sent < out.length; ) {
                    int n = socket.send(out, sent, out.length - sent, List.of());
                    sent += n;
                    if (n == 0) {
                        socket.awaitWritable(System.nanoTime() + 1_000_000_000L);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The frontend closed its end; the test is over.
        }
    }

    private boolean read(byte[] dst, List<OwnedFd> fds) {
        int got = 0;
        while (got < dst.length) {
            UnixStreamSocket.Received r = socket.receive(dst, got, dst.length - got);
            fds.addAll(r.fds());
            if (r.bytes() == 0) {
                return false;
            }
            if (r.bytes() > 0) {
                got += r.bytes();
            } else {
                socket.awaitReadable(System.nanoTime() + 100_000_000L);
            }
        }
        return true;
    }

    public UnixStreamSocket socket() {
        return socket;
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        frontEnd.close();
        thread.join(2000);
    }
}
