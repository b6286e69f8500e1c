package org.virtiotck.probes.console;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Workload;

/**
 * A port of a console as the probes drive it (VIRTIO 1.2 §5.3): its receiveq and transmitq. {@link #start} sets
 * up port 0 with the ring features the driver model implements plus F_SIZE and F_EMERG_WRITE, which change no
 * queue format; {@link #of} takes any port of a driver that set its queues up.
 */
final class ConsolePort {
    static final FeatureSet FEATURES = Devices.DRIVER_SUPPORTS.with(Feature.CONSOLE_SIZE).with(Feature.CONSOLE_EMERG_WRITE);
    /** struct virtio_console_config (§5.3.4): cols and rows (le16), max_nr_ports, emerg_wr (le32). */
    static final int CONFIG_COLS = 0;
    static final int CONFIG_ROWS = 2;
    static final int CONFIG_EMERG_WR = 8;

    /** Receive buffers kept posted while bytes are awaited; sizes and layouts rotate through these. */
    private static final int POSTED = 6;
    private static final int[] RECEIVE_SIZES = {64, 7, 1, 128, 33};

    private final VirtioDriver driver;
    private final Virtqueue rx;
    private final Virtqueue tx;
    private final List<ChainLayout> layouts;
    private int inFlight;
    private int posts;

    private ConsolePort(VirtioDriver driver, long port) {
        this.driver = driver;
        this.rx = driver.queue(ConsoleQueues.receiveq(port));
        this.tx = driver.queue(ConsoleQueues.transmitq(port));
        this.layouts = ChainLayout.usableOn(rx);
    }

    /** Starts the session's console (it must be one: the probe classes say so with @ForDevice). */
    static ConsolePort start(Session session) {
        return of(Workload.start(session, FEATURES).driver(), 0);
    }

    /** Port {@code port} of a started console whose driver set up that port's queues. */
    static ConsolePort of(VirtioDriver driver, long port) {
        return new ConsolePort(driver, port);
    }

    /** The host end of port 0, or the probe ends in SKIP when the target gives none. */
    static ConsoleHost host(Session session) {
        Optional<ConsoleHost> host = session.farSide(ConsoleHost.class);
        Assumptions.assumeTrue(host.isPresent(), "target " + session.target().canonical()
                + " gives no access to the console's host end");
        return host.get();
    }

    VirtioDriver driver() {
        return driver;
    }

    List<ChainLayout> layouts() {
        return layouts;
    }

    /**
     * Makes one transmitq chain available per piece, the i-th laid out as {@code layouts[i % n]}, notifies once,
     * and waits for all of them.
     */
    List<Completion> transmit(List<byte[]> pieces, List<ChainLayout> with) {
        Allocator alloc = driver.allocator();
        for (int i = 0; i < pieces.size(); i++) {
            ChainLayout layout = with.get(i % with.size());
            layout.add(tx, layout.readable(alloc, pieces.get(i)), List.of());
        }
        driver.kick(tx);
        List<Completion> done = new ArrayList<>();
        while (done.size() < pieces.size()) {
            done.add(driver.await(tx));
        }
        return done;
    }

    Completion transmit(byte[] data, ChainLayout layout) {
        return transmit(List.of(data), List.of(layout)).get(0);
    }

    /** One used receive buffer: its completion and every writable byte as the device left it. */
    record Received(Completion completion, byte[] writable) {

        /** The bytes the used len claims, capped at the buffer. */
        byte[] data() {
            return java.util.Arrays.copyOf(writable, (int) Math.min(completion.usedLen(), writable.length));
        }

        /** Bytes written from the start until the first poison byte (input from {@link Devices#pattern} has none). */
        int writtenFromStart() {
            int n = 0;
            while (n < writable.length && writable[n] != Allocator.POISON) {
                n++;
            }
            return n;
        }

        /** Every byte no longer poison, wherever it is. */
        int written() {
            int n = 0;
            for (byte b : writable) {
                n += b != Allocator.POISON ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * Keeps receive buffers posted (sizes and layouts rotating) and collects used ones, in completion order,
     * until they carried at least {@code count} bytes.
     */
    List<Received> receive(int count) {
        return receive(count, driver.deadline(), true);
    }

    /** As {@link #receive(int)}, but returns what arrived by {@code d} instead of failing at it. */
    List<Received> receiveWithin(int count, Deadline d) {
        return receive(count, d, false);
    }

    private List<Received> receive(int count, Deadline d, boolean mustArrive) {
        List<Received> got = new ArrayList<>();
        long bytes = 0;
        for (int attempt = 0; bytes < count; attempt++) {
            postBuffers();
            Optional<Completion> c = rx.poll();
            if (c.isPresent()) {
                inFlight--;
                Received r = new Received(c.get(), writableBytes(c.get()));
                got.add(r);
                // Counted by used len or by bytes seen, whichever is more: a device that under-reports its used
                // lens must not keep the probe waiting for input it has already delivered.
                bytes += Math.max(r.data().length, r.written());
                attempt = 0;
                continue;
            }
            if (!mustArrive && d.expired()) {
                return got;
            }
            if (mustArrive) {
                // Only here: checked after the test above, expiry in between would throw where the caller wants what came.
                d.check("fill receive buffers with " + count + " bytes from the console host (" + bytes + " arrived)");
            }
            Deadline.pause(attempt);
        }
        return got;
    }

    /** Tops the receiveq up to {@value #POSTED} buffers in flight, and notifies if the device asks for it. */
    void postBuffers() {
        Allocator alloc = driver.allocator();
        boolean added = false;
        while (inFlight < POSTED) {
            ChainLayout layout = layouts.get(posts % layouts.size());
            int size = RECEIVE_SIZES[posts % RECEIVE_SIZES.length];
            layout.add(rx, List.of(), layout.writable(alloc, size));
            posts++;
            inFlight++;
            added = true;
        }
        if (added) {
            driver.kick(rx);
        }
    }

    private byte[] writableBytes(Completion c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Buffer b : c.chain().writable()) {
            out.writeBytes(driver.allocator().memory().read(b.address(), b.length()));
        }
        return out.toByteArray();
    }

    /** The concatenated data of used receive buffers. */
    static byte[] joined(List<Received> received) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        received.forEach(r -> out.writeBytes(r.data()));
        return out.toByteArray();
    }
}
