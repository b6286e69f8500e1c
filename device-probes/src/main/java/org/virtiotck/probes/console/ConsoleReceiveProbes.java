package org.virtiotck.probes.console;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.console.ConsolePort.Received;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Port 0 input (VIRTIO 1.2 §5.3.6): bytes the host sends become the contents of used receive buffers, in order,
 * whether they were sent before the driver posted buffers or after, and each buffer's used len counts the bytes
 * the device put in it (§2.7.8.2). Buffers vary in size and layout.
 */
@ForDevice(DeviceType.CONSOLE)
class ConsoleReceiveProbes {

    /** Sends {@code count} bytes from the host and returns the buffers that carried them. */
    private static List<Received> hostInput(ConsolePort port, ConsoleHost host, int count, int seed) {
        host.sendToDriver(Devices.pattern(count, seed));
        return port.receive(count);
    }

    @Probe
    @Clause(section = "5.3.6", label = "receiveq buffers the device uses hold the port's input, intact and in order",
            level = Level.MUST)
    void hostBytesArriveIntactAndInOrder(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = ConsolePort.start(session);
        // Sent before any receive buffer exists: the bytes must wait for the driver, not vanish.
        byte[] early = Devices.pattern(300, 4);
        host.sendToDriver(early);
        List<Received> first = port.receive(early.length);
        Check.sameBytes("input sent before any receive buffer was posted, as " + first.size() + " used buffers carried it",
                early, ConsolePort.joined(first));
        // Sent while buffers wait in the ring, in several writes.
        ByteArrayOutputStream late = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            byte[] piece = Devices.pattern(50 + 70 * i, 5 + i);
            host.sendToDriver(piece);
            late.writeBytes(piece);
        }
        List<Received> second = port.receive(late.size());
        Check.sameBytes("input sent in 4 writes while receive buffers were posted, as " + second.size()
                + " used buffers carried it", late.toByteArray(), ConsolePort.joined(second));
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len never exceeds the bytes the device wrote",
            level = Level.MUST)
    void receiveUsedLenNotAboveWritten(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = ConsolePort.start(session);
        for (Received r : hostInput(port, host, 400, 6)) {
            Check.that(r.completion().usedLen() <= r.writtenFromStart(), "used len of a " + r.writable().length
                    + "-byte receive buffer", "at most the " + r.writtenFromStart() + " bytes written from its start",
                    "len " + r.completion().usedLen());
        }
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4",
            label = "used len equals the bytes written (underestimates are meant for error cases only)", level = Level.SHOULD)
    void receiveUsedLenIsExact(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = ConsolePort.start(session);
        for (Received r : hostInput(port, host, 400, 7)) {
            Check.equal("used len of a " + r.writable().length + "-byte receive buffer, against the bytes written in it",
                    (long) r.written(), r.completion().usedLen());
        }
    }
}
