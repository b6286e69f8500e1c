package org.virtiotck.harness.qemu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/**
 * Rough figures for docs/design-notes.md, printed, not judged (a System.nanoTime loop, not JMH): QEMU start to
 * stub ready, the mailbox round trip of a 32-bit register read, and the CPU an idle session's QEMU burns. What is asserted is that every one of the
 * reads returned the magic value, so the loop measured real round trips.
 */
class QemuTimingTest {
    private static final int READS = 100_000;

    @BeforeEach
    void needsQemu() {
        if (QemuProcess.binary().isEmpty()) {
            String why = QemuProcess.BINARY + " is not on PATH (Debian package qemu-system-arm)";
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                fail("CI is set and " + why + ": .ci/run installs it");
            }
            Assumptions.assumeTrue(false, why);
        }
    }

    /** A 4 KiB blk read end to end (descriptors, notify through the stub, poll of the used ring), each checked. */
    @Test
    void blkReadOf4KiB() {
        var variant = TargetSpec.parse("qemu:blk?transport=pci&ring=split&features=-INDIRECT_DESC").variants().get(0);
        try (QemuSession s = (QemuSession) Sessions.open(variant)) {
            byte[] data = new byte[4096];
            Arrays.fill(data, (byte) 0x3c);
            s.blkImage().orElseThrow().write(8 * 512, data);
            var d = s.driver();
            d.start(org.virtiotck.driver.feature.FeatureSet.NONE, 1, 64);
            var blk = new org.virtiotck.driver.blk.BlkClient(d);
            var mark = d.allocator().mark();
            long[] times = new long[2000];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                var r = blk.read(8, 4096);
                times[i] = System.nanoTime() - t;
                assertEquals(0, r.status());
                assertArrayEquals(data, r.data(), "read " + i);
                d.allocator().rewind(mark);
            }
            long[] warm = Arrays.copyOfRange(times, 1000, times.length);
            Arrays.sort(warm);
            System.out.printf("blk 4 KiB read end to end (pci split): median %.1f us, p90 %.1f us, p99 %.1f us (n=%d after 1000 warm-up)%n",
                    warm[warm.length / 2] / 1e3, warm[warm.length * 9 / 10] / 1e3, warm[warm.length * 99 / 100] / 1e3, warm.length);
        }
    }

    @Test
    void startTimeAndMailboxRoundTrip() {
        var variant = TargetSpec.parse("qemu:rng?transport=mmio&ring=split").variants().get(0);
        long[] starts = new long[5];
        for (int i = 0; i < starts.length; i++) {
            long t = System.nanoTime();
            try (QemuSession s = (QemuSession) Sessions.open(variant)) {
                starts[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(starts);
        try (QemuSession s = (QemuSession) Sessions.open(variant)) {
            MmioBus bus = s.physicalBus();
            long[] rounds = new long[5];
            for (int r = 0; r < rounds.length; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < READS; i++) {
                    if (bus.read(QemuDevice.MMIO_SLOT0, 4) != 0x74726976L) {
                        fail("read " + i + " of round " + r + " did not return the magic value");
                    }
                }
                rounds[r] = System.nanoTime() - t;
            }
            Arrays.sort(rounds);
            // What the spinning stub costs while a session sits idle: QEMU's CPU time over one second.
            ProcessHandle qemu = ProcessHandle.of(s.qemuPid()).orElseThrow();
            long cpu0 = qemu.info().totalCpuDuration().orElseThrow().toNanos();
            long wall0 = System.nanoTime();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            double idleCores = (qemu.info().totalCpuDuration().orElseThrow().toNanos() - cpu0)
                    / (double) (System.nanoTime() - wall0);
            System.out.printf("idle session: QEMU used %.2f cores%n", idleCores);
            System.out.printf("QEMU start to stub ready (session open): median %.0f ms, min %.0f, max %.0f (n=%d)%n",
                    starts[starts.length / 2] / 1e6, starts[0] / 1e6, starts[starts.length - 1] / 1e6, starts.length);
            System.out.printf("mailbox read32 round trip: median %.2f us, best %.2f us per read (%d rounds of %d)%n",
                    rounds[rounds.length / 2] / 1e3 / READS, rounds[0] / 1e3 / READS, rounds.length, READS);
        }
    }
}
