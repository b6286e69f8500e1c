package org.virtiotck.harness.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * The host end of QEMU's virtconsole on port 0: the {@code -chardev socket} QEMU listens on
 * ({@code server=on,wait=off}), connected once the stub is up and before the driver can transmit. Bytes the
 * driver sends arrive on the socket; bytes written to it wait in QEMU until the driver posts receive buffers
 * (QEMU reads the socket only then). The console cannot be resized from here: {@link #resize} says so.
 */
final class QemuConsoleHost implements ConsoleHost, AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 << 10);

    private QemuConsoleHost(SocketChannel channel) {
        this.channel = channel;
    }

    static QemuConsoleHost connect(Path socket) {
        SocketChannel c = null;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.connect(UnixDomainSocketAddress.of(socket));
            c.configureBlocking(false);
            return new QemuConsoleHost(c);
        } catch (IOException e) {
            closeQuietly(c);
            throw new UncheckedIOException("cannot connect to QEMU's console chardev " + socket, e);
        }
    }

    @Override
    public synchronized void sendToDriver(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            for (int idle = 0; b.hasRemaining(); ) {
                if (channel.write(b) == 0) {
                    // QEMU reads the chardev only while the driver has buffers posted; the socket buffer is large
                    // enough for any probe's bytes, so a full one means QEMU stopped reading for good.
                    if (++idle > 1000) {
                        throw new DeviceLostException("QEMU's console chardev took no bytes for 1 s, "
                                + b.remaining() + " of " + bytes.length + " left to send");
                    }
                    Thread.sleep(1);
                }
            }
        } catch (IOException e) {
            throw new DeviceLostException("QEMU's console chardev: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending to the console", e);
        }
    }

    @Override
    public synchronized byte[] drainFromDriver() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            int n;
            while ((n = channel.read(in.clear())) > 0) {
                got.write(in.array(), 0, n);
            }
        } catch (IOException e) {
            throw new DeviceLostException("QEMU's console chardev: " + e.getMessage());
        }
        return got.toByteArray();
    }

    @Override
    public boolean resize(int cols, int rows) {
        return false;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(SocketChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Nothing to do: the socket file goes with the session directory.
            }
        }
    }
}
