package org.virtiotck.harness.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * The vhost-user frontend against a second real back-end: a DPDK testpmd this test starts with a {@code net_vhost}
 * port on a private socket, forwarding in io mode so that every frame the driver transmits on queue 1 comes back
 * on receive queue 0. Split and packed rings (testpmd offers RING_PACKED). On CI (CI set) a missing testpmd fails
 * the test; on a developer machine it skips with the reason.
 */
class DpdkTestpmdTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int RX = 0;
    private static final int TX = 1;
    private static final int FRAMES = 5000;
    private static final int RX_BUFFERS = 128;
    private static final int IN_FLIGHT = 32;
    private static final int BUFFER = NetHeader.SIZE + 1514;
    private static final int POISON16 = (Allocator.POISON & 0xff) * 0x101;

    @BeforeEach
    void needsTestpmd() {
        if (DpdkTestpmd.binary().isPresent()) {
            return;
        }
        String why = DpdkTestpmd.BINARY + " is not on PATH (Debian package " + DpdkTestpmd.PACKAGE + ")";
        if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
            fail("CI is set and " + why + ": .ci/run installs it");
        }
        Assumptions.assumeTrue(false, why);
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
    }

    private static VhostUserSession session(DpdkTestpmd testpmd, String ring) {
        TargetVariant v = TargetSpec.parse("vhost-user:" + testpmd.socket() + "?device=net&ring=" + ring).variants().get(0);
        return VhostUserSession.open(v, null);
    }

    /** An ethernet frame of {@code length} bytes: broadcast destination, a locally administered source, the
     *  experimental ethertype 0x88b5, then the frame number and a pattern that depends on it. */
    static byte[] frame(int n, int length) {
        byte[] f = new byte[length];
        Arrays.fill(f, 0, 6, (byte) 0xff);
        byte[] src = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        for (int i = 0; i < 4; i++) {
            f[14 + i] = (byte) (n >>> 8 * i);
        }
        for (int i = 18; i < length; i++) {
            f[i] = (byte) (n * 13 + i * 7);
        }
        return f;
    }

    @Test
    void framesSentOnTransmitComeBackIntactOnReceiveSplitAndPacked(@TempDir Path dir) throws IOException {
        long fdsBefore = openFds();
        long childrenBefore = children();
        Path runtimeDir;
        long startNanos = System.nanoTime();
        try (DpdkTestpmd testpmd = DpdkTestpmd.start(dir, START_TIMEOUT)) {
            System.out.printf("dpdk-testpmd ready in %.2f s: %s%n", (System.nanoTime() - startNanos) / 1e9,
                    String.join(" ", testpmd.command()));
            runtimeDir = testpmd.runtimeDir();
            assertTrue(Files.isDirectory(runtimeDir), "EAL runtime directory " + runtimeDir);
            for (String ring : new String[] {"split", "packed"}) {
                try (VhostUserSession s = session(testpmd, ring)) {
                    assertTrue(s.transport().deviceFeatures().has(Feature.RING_PACKED), "testpmd offers RING_PACKED");
                    loop(s, ring);
                }
            }
            // A third connection after two disconnects: the back-end still serves.
            try (VhostUserSession s = session(testpmd, "split")) {
                loop(s, "split again");
            }
            assertTrue(testpmd.isAlive(), testpmd.output());
        }
        assertEquals(List.of(), listing(dir), "files left in the socket directory");
        assertFalse(Files.exists(runtimeDir), "EAL runtime directory left: " + runtimeDir);
        assertEquals(childrenBefore, children(), "processes left");
        assertEquals(fdsBefore, openFds(), "descriptors leaked");
    }

    private static List<Path> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private static void loop(VhostUserSession s, String ring) {
        VirtioDriver d = s.driver();
        d.start(FeatureSet.NONE, 2, 256);
        assertEquals(ring.equals("packed"), d.negotiated().has(Feature.RING_PACKED), d.negotiated().toString());
        Virtqueue rx = d.queue(RX);
        Virtqueue tx = d.queue(TX);
        Allocator alloc = d.allocator();
        for (int i = 0; i < RX_BUFFERS; i++) {
            rx.add(List.of(), List.of(alloc.writable(BUFFER)));
        }
        d.kick(rx);
        Allocator.Mark mark = alloc.mark();

        ArrayDeque<byte[]> expected = new ArrayDeque<>();
        List<String> headers = new ArrayList<>();
        int sent = 0;
        int received = 0;
        int txDone = 0;
        int batchStart = 0;
        long bytes = 0;
        long start = System.nanoTime();
        while (received < FRAMES) {
            // Keep at most IN_FLIGHT frames between transmit and receive: fewer than the receive buffers posted, so
            // io forwarding never finds the receive ring empty and drops one.
            // Batches of IN_FLIGHT: all of a batch is received before the next goes out, so the memory of its
            // transmit buffers can be reused.
            while (sent < FRAMES && sent - batchStart < IN_FLIGHT && tx.freeDescriptors() >= 2) {
                byte[] f = frame(sent, 60 + (sent * 97) % 1455);
                List<Buffer> readable = sent % 2 == 0
                        ? List.of(alloc.readable(concat(NetHeader.PLAIN.bytes(), f)))
                        : List.of(alloc.readable(NetHeader.PLAIN.bytes()), alloc.readable(f));
                tx.add(readable, List.of());
                expected.add(f);
                sent++;
                bytes += f.length;
            }
            d.kick(tx);
            for (Optional<Completion> c = tx.poll(); c.isPresent(); c = tx.poll()) {
                txDone++;
            }
            Deadline deadline = d.deadline();
            Optional<Completion> c = rx.poll();
            for (int attempt = 0; c.isEmpty(); attempt++) {
                while (tx.poll().isPresent()) {
                    txDone++;
                }
                deadline.check("receive frame " + received + " back from testpmd (" + ring + " ring, " + sent
                        + " sent, " + txDone + " transmit buffers used)");
                Deadline.pause(attempt);
                c = rx.poll();
            }
            Buffer b = c.get().chain().writable().get(0);
            byte[] f = expected.poll();
            assertEquals(NetHeader.SIZE + f.length, c.get().usedLen(), "used len of received frame " + received);
            byte[] got = s.memory().read(b.address(), NetHeader.SIZE + f.length);
            NetHeader h = NetHeader.parse(got);
            assertEquals(0, h.flags(), "flags of received frame " + received);
            assertEquals(NetHeader.GSO_NONE, h.gsoType(), "gso_type of received frame " + received);
            // Without MRG_RXBUF, §5.1.6.4.1 wants num_buffers 1. DPDK 22.11's vhost library writes the field only with
            // MRG_RXBUF and leaves the driver's bytes there otherwise: the allocator's poison 0xA5A5 shows it. A known
            // deviation of the back-end (the net probes report it); this test is about the transport.
            assertTrue(h.numBuffers() == 1 || h.numBuffers() == POISON16, "num_buffers " + h.numBuffers());
            String nb = h.numBuffers() == POISON16 ? "unwritten (poison 0xa5a5)" : Integer.toString(h.numBuffers());
            if (!headers.contains(nb)) {
                headers.add(nb);
            }
            assertArrayEquals(f, Arrays.copyOfRange(got, NetHeader.SIZE, got.length), "received frame " + received);
            received++;
            rx.add(List.of(), List.of(b));
            d.kick(rx);
            if (received == sent) {
                batchStart = sent;
                if (alloc.mark().cursor() - mark.cursor() > (1 << 20)) {
                    drainTransmit(d, tx, sent - txDone);
                    txDone = sent;
                    assertEquals(List.of(), d.findings());
                    alloc.rewind(mark);
                }
            }
        }
        drainTransmit(d, tx, sent - txDone);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("dpdk-testpmd %s ring: %d frames (%d bytes) out on TX and back on RX in %.3f s, %.0f frames/s;"
                + " num_buffers %s%n", ring, received, bytes, seconds, received / seconds, headers);
        assertEquals(List.of(), d.findings());
        d.reset();
    }

    private static void drainTransmit(VirtioDriver d, Virtqueue tx, int outstanding) {
        Deadline deadline = d.deadline();
        for (int attempt = 0; outstanding > 0; attempt++) {
            if (tx.poll().isPresent()) {
                outstanding--;
            } else {
                deadline.check("use the last " + outstanding + " transmit buffers");
                Deadline.pause(attempt);
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
