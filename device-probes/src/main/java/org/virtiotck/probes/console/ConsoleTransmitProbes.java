package org.virtiotck.probes.console;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Port 0 output (VIRTIO 1.2 §5.3.6): what the driver places in transmitq buffers is the port's output, checked at
 * the host end, whatever the descriptor layout and however many chains wait for one notification. The device
 * writes nothing into a transmit buffer, so its used len is 0 (§2.7.8.2).
 */
@ForDevice(DeviceType.CONSOLE)
class ConsoleTransmitProbes {
    /** Chain sizes of the batch made available before one notification. */
    private static final int[] BATCH = {1, 17, 200, 3, 64, 4096};

    @Probe
    @Clause(section = "5.3.6", label = "bytes in transmitq buffers reach the port's output intact and in order", level = Level.MUST)
    void transmittedBytesReachTheHostInOrder(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = ConsolePort.start(session);
        host.drainFromDriver();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int seed = 1;
        for (ChainLayout layout : port.layouts()) {
            byte[] data = Devices.pattern(100 + seed, seed++);
            port.transmit(data, layout);
            sent.writeBytes(data);
        }
        List<byte[]> batch = new ArrayList<>();
        for (int size : BATCH) {
            byte[] data = Devices.pattern(size, seed++);
            batch.add(data);
            sent.writeBytes(data);
        }
        port.transmit(batch, port.layouts());
        byte[] got = host.awaitFromDriver(sent.size(), port.driver().deadline());
        Check.sameBytes("bytes at the host end after one chain in each of " + port.layouts() + ", then "
                + BATCH.length + " chains behind one notification", sent.toByteArray(), got);
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len never exceeds the bytes the device wrote",
            level = Level.MUST)
    void transmitUsedLenIsZero(Session session) {
        ConsolePort port = ConsolePort.start(session);
        for (ChainLayout layout : port.layouts()) {
            Completion c = port.transmit(Devices.pattern(50, 9), layout);
            Check.equal("used len of a 50-byte transmitq buffer laid out as " + layout
                    + " (it has no device-writable byte)", 0L, c.usedLen());
        }
    }
}
