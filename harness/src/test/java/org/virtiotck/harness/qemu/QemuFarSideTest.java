package org.virtiotck.harness.qemu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/**
 * The far sides of QEMU's net and console models, both ways, on both transports: frames over the
 * {@code -netdev stream} socket, bytes over the console's chardev socket. Missing QEMU: fail on CI, skip elsewhere.
 */
class QemuFarSideTest {
    private static final int NET_HEADER = 12;

    @BeforeEach
    void needsQemu() {
        if (LocalQemu.binary().isEmpty()) {
            String why = QemuProcess.BINARY + " is not on PATH (Debian package qemu-system-arm)";
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                fail("CI is set and " + why + ": .ci/run installs it");
            }
            Assumptions.assumeTrue(false, why);
        }
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertEquals(List.of(), QemuSessionTest.leftovers());
    }

    private static QemuSession open(String target) {
        return (QemuSession) Sessions.open(TargetSpec.parse(target).variants().get(0));
    }

    @Test
    void netFramesCrossTheStreamSocketBothWaysOnMmio() {
        netBothWays("qemu", "mmio");
    }

    @Test
    void netFramesCrossTheStreamSocketBothWaysOnPci() {
        netBothWays("qemu", "pci");
    }

    /** Also run by the container target's tests: {@code kind} is qemu or qemu-container. */
    static void netBothWays(String kind, String transport) {
        try (QemuSession s = open(kind + ":net?ring=split&transport=" + transport)) {
            NetWire wire = s.farSide(NetWire.class).orElseThrow();
            assertArrayEquals(QemuNetWire.MAC, wire.configuredMac().orElseThrow());
            // On mmio the driver writes two feature words only: with all four, QEMU 7.2 loses VERSION_1 (see
            // QemuSessionTest) and uses the legacy 10-byte header.
            VirtioDriver d = transport.equals("mmio") ? TwoFeatureWords.driver(s) : s.driver();
            d.start(FeatureSet.NONE, 2, 64);
            Virtqueue rx = d.queue(0);
            Virtqueue tx = d.queue(1);

            byte[] frame = frame(0x11, 60);
            byte[] header = new byte[NET_HEADER];
            Completion sent = d.submit(tx, List.of(d.allocator().readable(concat(header, frame))), List.of());
            assertNotNull(sent);
            byte[] onWire = wire.awaitSent(Deadline.after(Duration.ofSeconds(5))).orElseThrow(
                    () -> new AssertionError("no frame on the wire"));
            assertArrayEquals(frame, onWire);

            Buffer in = d.allocator().writable(NET_HEADER + 1514);
            rx.add(List.of(), List.of(in));
            d.kick(rx);
            byte[] injected = frame(0x22, 90);
            wire.inject(injected);
            Completion got = d.await(rx);
            assertEquals(NET_HEADER + injected.length, got.usedLen());
            assertArrayEquals(injected, s.memory().read(in.address() + NET_HEADER, injected.length));
        }
    }

    @Test
    void consoleBytesCrossTheChardevBothWaysOnMmio() {
        consoleBothWays("qemu", "mmio");
    }

    @Test
    void consoleBytesCrossTheChardevBothWaysOnPci() {
        consoleBothWays("qemu", "pci");
    }

    static void consoleBothWays(String kind, String transport) {
        try (QemuSession s = open(kind + ":console?ring=split&transport=" + transport)) {
            ConsoleHost host = s.farSide(ConsoleHost.class).orElseThrow();
            assertFalse(host.resize(80, 25));
            VirtioDriver d = s.driver();
            d.start(FeatureSet.NONE, 2, 64);
            byte[] out = "hello from the driver\n".getBytes();
            d.submit(d.queue(1), List.of(d.allocator().readable(out)), List.of());
            assertArrayEquals(out, host.awaitFromDriver(out.length, Deadline.after(Duration.ofSeconds(5))));

            Buffer in = d.allocator().writable(64);
            d.queue(0).add(List.of(), List.of(in));
            d.kick(d.queue(0));
            byte[] back = "and from the host".getBytes();
            host.sendToDriver(back);
            Completion got = d.await(d.queue(0));
            assertEquals(back.length, got.usedLen());
            assertArrayEquals(back, s.memory().read(in.address(), back.length));
        }
    }

    private static byte[] frame(int seed, int length) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (seed + i);
        }
        System.arraycopy(QemuNetWire.MAC, 0, f, 0, 6); // to the device's own address
        return f;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
