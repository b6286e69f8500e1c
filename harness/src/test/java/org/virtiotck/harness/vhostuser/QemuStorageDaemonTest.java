package org.virtiotck.harness.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.harness.session.FileBlkImage;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;
import org.virtiotck.harness.vhostuser.protocol.VhostUserDisconnectedException;

/**
 * The vhost-user frontend against a real back-end: a qemu-storage-daemon this test starts on a private socket
 * with a temporary raw image, drives through the driver model's blk client, and kills by PID. On CI (CI set) a
 * missing qemu-storage-daemon fails the test; on a developer machine it skips with the reason.
 */
class QemuStorageDaemonTest {
    private static final long IMAGE_BYTES = 8 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int SECTOR = 512;
    private static final int ROUNDS = 1000;

    @BeforeEach
    void needsQemuStorageDaemon() {
        if (QemuStorageDaemon.binary().isPresent()) {
            return;
        }
        String why = QemuStorageDaemon.BINARY + " is not on PATH (Debian package qemu-system-common)";
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

    private static VhostUserSession session(QemuStorageDaemon qsd, String ring) {
        TargetVariant v = TargetSpec.parse("vhost-user:" + qsd.socket() + "?device=blk&ring=" + ring).variants().get(0);
        return VhostUserSession.open(v, new FileBlkImage(qsd.image()));
    }

    private static byte[] pattern(long seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >> 8));
        }
        return b;
    }

    @Test
    void writesAndReadsBackThroughEveryRingLayoutTheDaemonOffers(@TempDir Path dir) throws IOException {
        long fdsBefore = openFds();
        Path socket;
        Path image;
        try (QemuStorageDaemon qsd = QemuStorageDaemon.start(dir, IMAGE_BYTES, true, TIMEOUT)) {
            socket = qsd.socket();
            image = qsd.image();
            for (String ring : new String[] {"split", "packed"}) {
                try (VhostUserSession s = session(qsd, ring)) {
                    FeatureSet offered = s.transport().deviceFeatures();
                    if (ring.equals("packed") && !offered.has(Feature.RING_PACKED)) {
                        System.out.println("qemu-storage-daemon does not offer RING_PACKED: packed ring not exercised");
                        continue;
                    }
                    exercise(s, ring);
                }
            }
            assertTrue(qsd.isAlive(), qsd.output());
        }
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(image));
        assertEquals(fdsBefore, openFds(), "descriptors leaked");
    }

    private static void exercise(VhostUserSession s, String ring) {
        VirtioDriver d = s.driver();
        d.start(FeatureSet.of(Feature.BLK_FLUSH), 1, 256);
        assertEquals(ring.equals("packed"), d.negotiated().has(Feature.RING_PACKED));
        BlkClient blk = new BlkClient(d);
        assertEquals(IMAGE_BYTES / SECTOR, blk.capacitySectors());
        Allocator alloc = d.allocator();
        Allocator.Mark mark = alloc.mark();

        long start = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            long sector = (i * 37L) % (IMAGE_BYTES / SECTOR - 8);
            byte[] data = pattern(i, 4096);
            BlkResult w = blk.write(sector, data);
            assertEquals(BlkRequest.S_OK, w.status(), "write " + i + ": " + w.statusName());
            BlkResult r = blk.read(sector, 4096);
            assertEquals(BlkRequest.S_OK, r.status(), "read " + i + ": " + r.statusName());
            assertArrayEquals(data, r.data(), "read back sector " + sector);
            if (i % 100 == 99) {
                assertEquals(java.util.List.of(), d.findings());
                alloc.rewind(mark);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("qemu-storage-daemon %s ring: %d requests (4 KiB write + read back) in %.3f s, %.0f requests/s%n",
                ring, 2 * ROUNDS, seconds, 2 * ROUNDS / seconds);

        // The far side: what the device wrote is in the image file, and what is put there the device reads.
        long sector = 4000;
        byte[] data = pattern(-1, 4096);
        blk.write(sector, data);
        assertArrayEquals(data, s.blkImage().orElseThrow().read(sector * SECTOR, 4096));
        byte[] direct = pattern(-2, SECTOR);
        s.blkImage().orElseThrow().write(5 * SECTOR, direct);
        assertArrayEquals(direct, blk.read(5, SECTOR).data());

        // A data buffer that straddles the two memory regions: the back-end must translate each part through its own
        // region (different mmap offset and user address).
        long boundary = s.memory().base() + s.memory().size() / 2;
        alloc.rewind(mark);
        long cursor = alloc.writable(1).address();
        alloc.rewind(mark);
        alloc.writable((int) (boundary - cursor - 64 - 16 - 2048));
        byte[] across = pattern(-3, 8192);
        assertTrue(alloc.mark().cursor() < boundary);
        assertEquals(BlkRequest.S_OK, blk.write(100, across).status());
        assertTrue(alloc.mark().cursor() > boundary + 2048, "the request's buffers reach into the second region");
        BlkResult back = blk.read(100, 8192);
        assertEquals(BlkRequest.S_OK, back.status());
        assertArrayEquals(across, back.data());
        assertEquals(java.util.List.of(), d.findings());
        assertTrue(Arrays.equals(across, s.blkImage().orElseThrow().read(100 * SECTOR, 8192)));
    }

    @Test
    void aKilledBackEndIsAClearErrorNotAHang(@TempDir Path dir) throws IOException {
        long fdsBefore = openFds();
        QemuStorageDaemon qsd = QemuStorageDaemon.start(dir, IMAGE_BYTES, true, TIMEOUT);
        TargetVariant v = TargetSpec.parse("vhost-user:" + qsd.socket() + "?device=blk&ring=split&timeout=300ms").variants().get(0);
        try (VhostUserSession s = VhostUserSession.open(v, null)) {
            s.driver().start(FeatureSet.NONE, 1, 64);
            BlkClient blk = new BlkClient(s.driver());
            assertEquals(BlkRequest.S_OK, blk.read(0, SECTOR).status());
            qsd.close();
            long start = System.nanoTime();
            // The wait for the used buffer notices the closed socket: a disconnect, well before the deadline.
            var e = assertThrows(VhostUserDisconnectedException.class, () -> blk.read(0, SECTOR));
            assertTrue(e.getMessage().contains("closed the connection"), e.getMessage());
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
        } finally {
            qsd.close();
        }
        assertEquals(fdsBefore, openFds(), "descriptors leaked");
    }
}
