package org.virtiotck.probes.console;

import static org.virtiotck.driver.transport.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Emergency writes (VIRTIO 1.2 §5.3.5.1): with F_EMERG_WRITE offered the driver may write emerg_wr at any time,
 * even before it has configured the device or acknowledged the feature, and the low byte goes to the console's
 * output. Each write is followed by a line through the transmitq, so the probe waits for that line rather than
 * for a byte a device may legitimately send elsewhere.
 */
@ForDevice(DeviceType.CONSOLE)
class EmergencyWriteProbes {
    private static final String LINE = "<transmitq line>";

    /** Ends in SKIP unless the device offers F_EMERG_WRITE (it need not be negotiated, §5.3.4). */
    private static void assumeOffered(Session session) {
        session.driver().reset();
        Assumptions.assumeTrue(session.transport().deviceFeatures().has(Feature.CONSOLE_EMERG_WRITE),
                "device without VIRTIO_CONSOLE_F_EMERG_WRITE");
    }

    /** Sends {@link #LINE} through the transmitq and returns everything that reached the host until it did. */
    private static String untilLine(ConsolePort port, Optional<ConsoleHost> host) {
        port.transmit(LINE.getBytes(StandardCharsets.US_ASCII), ChainLayout.ONE_DESCRIPTOR);
        if (host.isEmpty()) {
            return LINE;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deadline d = port.driver().deadline();
        for (int attempt = 0; !out.toString(StandardCharsets.ISO_8859_1).endsWith(LINE); attempt++) {
            out.writeBytes(host.get().drainFromDriver());
            d.check("carry the transmitted line " + LINE + " to the host end (got \"" + out.toString(StandardCharsets.ISO_8859_1) + "\")");
            Deadline.pause(attempt);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Probe
    @Clause(section = "5.3.5.1", label = "device accepts a write to emerg_wr even before it is configured", level = Level.MUST)
    void emergWriteAcceptedBeforeConfiguration(Session session) {
        assumeOffered(session);
        Transport t = session.transport();
        Optional<ConsoleHost> host = session.farSide(ConsoleHost.class);
        host.ifPresent(ConsoleHost::drainFromDriver);
        t.writeConfig(ConsolePort.CONFIG_EMERG_WR, 4, 'E');                 // status 0: right after reset
        t.setStatus(ACKNOWLEDGE);
        t.setStatus(ACKNOWLEDGE | DRIVER);
        t.writeConfig(ConsolePort.CONFIG_EMERG_WR, 4, 'F');                 // features not yet negotiated
        Check.equal("status after emerg_wr writes at status 0 and at ACKNOWLEDGE|DRIVER",
                DeviceStatus.describe(ACKNOWLEDGE | DRIVER), DeviceStatus.describe(t.status()));
        ConsolePort port = ConsolePort.start(session);
        t.writeConfig(ConsolePort.CONFIG_EMERG_WR, 4, 'G');                 // configured, DRIVER_OK
        String output = untilLine(port, host);
        // A device that sends emergency output elsewhere shows none of it here; one that shows the configured
        // write must show the early ones too, or it did not take them.
        if (output.contains("G")) {
            Check.equal("host output after emerg_wr 'E' (status 0), 'F' (ACKNOWLEDGE|DRIVER), 'G' (DRIVER_OK) and a "
                    + "transmitted line", "EFG" + LINE, output);
        }
    }

    @Probe
    @Clause(section = "5.3.5.1", label = "device sends the low byte written to emerg_wr to its log or output",
            level = Level.SHOULD)
    void emergWriteReachesTheOutput(Session session) {
        assumeOffered(session);
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = ConsolePort.start(session);
        host.drainFromDriver();
        session.transport().writeConfig(ConsolePort.CONFIG_EMERG_WR, 4, 0x1234_5641L);   // low byte 'A'
        Check.equal("host output after writing 0x12345641 to emerg_wr, then a transmitted line", "A" + LINE,
                untilLine(port, Optional.of(host)));
    }
}
