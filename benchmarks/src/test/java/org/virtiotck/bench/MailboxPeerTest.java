package org.virtiotck.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.qemu.QemuSession;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/**
 * The C peer of the qemu benchmarks does what the comparison assumes: it checks every value it reads (a wrong
 * expectation fails it), it hands the mailbox back so the Java side's next round trip is answered, and after its
 * blk run the device can be driven from Java again. No timing is judged here; that is the benchmark's business.
 * Skips without gcc; without QEMU it skips, or fails when CI is set (as the harness's QEMU tests do).
 */
class MailboxPeerTest {
    private static Path peer;

    @BeforeAll
    static void compilePeer() throws Exception {
        Assumptions.assumeTrue(onPath("gcc"), "gcc is not on PATH");
        if (!onPath("qemu-system-aarch64")) {
            String ci = System.getenv("CI");
            assertTrue(ci == null || ci.isEmpty(), "CI is set and qemu-system-aarch64 is not on PATH");
            Assumptions.assumeTrue(false, "qemu-system-aarch64 is not on PATH (Debian package qemu-system-arm)");
        }
        peer = Path.of("target", "mailbox-peer-test").toAbsolutePath();
        Files.createDirectories(peer.getParent());
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", peer.toString(),
                "src/main/c/mailbox_peer.c").redirectErrorStream(true).start();
        String out = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc still running");
        assertEquals(0, gcc.exitValue(), out);
    }

    private static boolean onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, binary))) {
                return true;
            }
        }
        return false;
    }

    private static QemuSession open() {
        return (QemuSession) Sessions.open(TargetSpec.parse("qemu:blk?transport=mmio&ring=split&timeout=10s").variants().get(0));
    }

    /** The mailbox's ack word, read from the RAM file. */
    private static long ack(QemuSession s) throws IOException {
        try (FileChannel f = FileChannel.open(s.ramFile(), StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            f.read(b, s.mailboxFileOffset() + 0x20);
            return b.getLong(0);
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    @Test
    void read32ChecksEveryValueAndHandsTheMailboxBack() throws IOException {
        try (QemuSession s = open()) {
            long magic = s.physicalBus().read(QemuSession.MMIO_WINDOW, 4);
            assertEquals(QemuMailboxBenchmark.MAGIC, magic);
            long ack = ack(s);
            MailboxPeer.Output o = MailboxPeer.run(peer, s, "read32", hex(QemuSession.MMIO_WINDOW), hex(magic), "1000");
            assertEquals(1000, o.n());
            assertTrue(o.median() > 0 && o.median() <= o.p90() && o.p90() <= o.p99() && o.p99() <= o.max(), o.toString());
            // The peer left the stub's last seq (what it acknowledged last) as it found it, and Java carries on.
            assertEquals(ack, ack(s), "the stub's last acknowledged seq after the peer");
            assertEquals(magic, s.physicalBus().read(QemuSession.MMIO_WINDOW, 4));
            IllegalStateException wrong = assertThrows(IllegalStateException.class,
                    () -> MailboxPeer.run(peer, s, "read32", hex(QemuSession.MMIO_WINDOW), hex(magic + 1), "1000"));
            assertTrue(wrong.getMessage().contains("other than expected"), wrong.getMessage());
        }
    }

    @Test
    void blkReadsThroughItsOwnQueueAndTheJavaDriverStartsAgainAfterwards() {
        try (QemuSession s = open()) {
            long scratch = s.memory().base() + s.memory().size() - (1 << 20);
            MailboxPeer.Output o = MailboxPeer.run(peer, s, "blk", hex(QemuSession.MMIO_WINDOW), hex(scratch), "200");
            assertEquals(200, o.n());
            VirtioDriver d = s.driver();
            d.start(FeatureSet.NONE, 1, 16);
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            s.blkImage().orElseThrow().write(4096, data);
            var r = new BlkClient(d).read(8, 512);
            assertEquals(BlkRequest.S_OK, r.status());
            assertArrayEquals(data, java.util.Arrays.copyOf(r.data(), 8));
        }
    }

    @Test
    void aRamFileWithoutAReadyStubIsRefused() throws Exception {
        Path fake = Files.createTempFile("not-a-guest", ".ram");
        try {
            Files.write(fake, new byte[0x300000]);
            Process p = new ProcessBuilder(peer.toString(), fake.toString(), "0x201000", "read32", "0xa000000", "0x0", "10")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("no ready guest stub"), out);
        } finally {
            Files.deleteIfExists(fake);
        }
    }
}
