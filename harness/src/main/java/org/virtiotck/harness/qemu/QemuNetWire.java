package org.virtiotck.harness.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.harness.session.NetWire;

/**
 * The wire behind QEMU's virtio-net: a {@code -netdev stream} unix socket. The harness listens before QEMU starts
 * (QEMU 7.2 connects once at start-up and has no reconnect), accepts QEMU's connection, and frames each ethernet
 * frame with a 4-byte big-endian length, as QEMU's stream backend does. A reader thread collects what the
 * device transmits. The link cannot be switched from here (no monitor), and frames waiting in QEMU cannot be
 * dropped.
 */
final class QemuNetWire implements NetWire, AutoCloseable {
    static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static final String MAC_TEXT = "52:54:00:12:34:56";
    private static final int MAX_FRAME = 65536 + 64;

    private final SocketChannel channel;
    private final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile String broken;

    private QemuNetWire(SocketChannel channel) {
        this.channel = channel;
        this.reader = new Thread(this::readFrames, "qemu-net-wire");
        reader.setDaemon(true);
        reader.start();
    }

    /** Listens on {@code socket}, which QEMU will connect to. */
    static ServerSocketChannel listen(Path socket) {
        try {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(socket));
            s.configureBlocking(false);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + socket, e);
        }
    }

    /** Accepts QEMU's connection by the deadline; the listener is closed either way. */
    static QemuNetWire accept(ServerSocketChannel listener, Deadline deadline, QemuProcess qemu) {
        try (listener) {
            for (int attempt = 0; ; attempt++) {
                SocketChannel c = listener.accept();
                if (c != null) {
                    c.configureBlocking(true);
                    return new QemuNetWire(c);
                }
                if (!qemu.isAlive()) {
                    throw qemu.lost("before its net backend connected");
                }
                if (deadline.expired()) {
                    throw new DeviceTimeoutException("connect its -netdev stream to the harness", deadline.budget());
                }
                Thread.sleep(1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("accepting QEMU's net backend", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for QEMU's net backend", e);
        }
    }

    private void readFrames() {
        ByteBuffer length = ByteBuffer.allocate(4);
        try {
            while (true) {
                readFully(length.clear());
                int n = length.getInt(0);
                if (n < 0 || n > MAX_FRAME) {
                    broken = "QEMU's net stream sent a frame length of " + n;
                    return;
                }
                ByteBuffer frame = ByteBuffer.allocate(n);
                readFully(frame);
                sent.add(frame.array());
            }
        } catch (IOException e) {
            broken = "QEMU's net stream closed: " + e.getMessage();
        }
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("end of stream");
            }
        }
    }

    @Override
    public synchronized void inject(byte[] frame) {
        ByteBuffer b = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new DeviceLostException("QEMU's net stream: " + e.getMessage());
        }
    }

    @Override
    public int dropWaiting() {
        return 0;
    }

    @Override
    public Optional<byte[]> pollSent() {
        return Optional.ofNullable(sent.poll());
    }

    @Override
    public Optional<byte[]> awaitSent(Deadline deadline) {
        try {
            while (!deadline.expired()) {
                byte[] f = sent.poll(1, TimeUnit.MILLISECONDS);
                if (f != null) {
                    return Optional.of(f);
                }
                if (broken != null) {
                    break;
                }
            }
            return Optional.ofNullable(sent.poll());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public List<byte[]> drainSent() {
        List<byte[]> all = new ArrayList<>();
        sent.drainTo(all);
        return all;
    }

    @Override
    public boolean canSetLink() {
        return false;
    }

    @Override
    public void setLinkUp(boolean up) {
        throw new UnsupportedOperationException("the QEMU target has no monitor to switch the link with");
    }

    @Override
    public Optional<byte[]> configuredMac() {
        return Optional.of(MAC.clone());
    }

    @Override
    public OptionalInt configuredMtu() {
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // The reader ends on the closed channel; the socket file goes with the session directory.
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
