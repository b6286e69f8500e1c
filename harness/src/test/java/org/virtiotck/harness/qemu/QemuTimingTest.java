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
