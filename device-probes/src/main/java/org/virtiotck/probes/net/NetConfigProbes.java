package org.virtiotck.probes.net;

import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The mac and status fields (VIRTIO 1.2 §5.1.4): mac is the address the device was given; with STATUS, the
 * LINK_UP bit follows the link, and a link change is a configuration change, announced with a new generation
 * (§2.5) and a configuration change notification (§3.2.1). The link is changed from the wire.
 */
@ForDevice(DeviceType.NET)
class NetConfigProbes {

    /** Starts with STATUS negotiated on a wire whose link the target can change, link up; or ends in SKIP. */
    private static NetPort withLinkControl(Session session, NetWire wire) {
        Assumptions.assumeTrue(wire.canSetLink(), "the target cannot change the link of this net device");
        NetPort port = NetPort.start(session);
        Assumptions.assumeTrue(port.has(Feature.NET_STATUS), "device without VIRTIO_NET_F_STATUS");
        wire.setLinkUp(true);
        return port;
    }

    /** Waits until LINK_UP reads {@code up}; the status it last read. */
    private static int awaitLink(NetPort port, boolean up) {
        Deadline d = port.driver().deadline();
        int status = port.status();
        for (int attempt = 0; ((status & NetConfig.S_LINK_UP) != 0) != up && !d.expired(); attempt++) {
            Deadline.pause(attempt);
            status = port.status();
        }
        return status;
    }

    @Probe
    @Clause(section = "5.1.4", label = "with MAC offered, mac holds the device's address", level = Level.MUST)
    void macIsTheConfiguredAddress(Session session) {
        NetWire wire = NetPort.wire(session);
        Optional<byte[]> configured = wire.configuredMac();
        Assumptions.assumeTrue(configured.isPresent(), "the target does not say which MAC address the device has");
        NetPort port = NetPort.start(session);
        Assumptions.assumeTrue(port.has(Feature.NET_MAC), "device without VIRTIO_NET_F_MAC");
        HexFormat hex = HexFormat.ofDelimiter(":");
        Check.equal("mac in the configuration space", hex.formatHex(configured.get()), hex.formatHex(port.destination()));
    }

    @Probe
    @Clause(section = "5.1.4", label = "with STATUS offered, the LINK_UP bit of status shows whether the link is up",
            level = Level.MUST)
    void linkUpBitFollowsTheLink(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = withLinkControl(session, wire);
        try {
            for (boolean up : new boolean[] {true, false, true}) {
                wire.setLinkUp(up);
                int status = awaitLink(port, up);
                Check.equal("LINK_UP in status after the wire's link went " + (up ? "up" : "down") + " (status 0x"
                        + Integer.toHexString(status) + ")", up, (status & NetConfig.S_LINK_UP) != 0);
            }
        } finally {
            wire.setLinkUp(true);
        }
    }

    @Probe
    @Clause(section = "5.1.4", label = "with STATUS, a link change brings a new config generation and a configuration change notification",
            level = Level.MUST)
    void linkChangeIsAnnounced(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = withLinkControl(session, wire);
        Transport t = port.transport();
        try {
            for (boolean up : new boolean[] {false, true}) {
                String change = "after the wire's link went " + (up ? "up" : "down");
                t.takeInterrupts();
                int generation = t.configGeneration();
                wire.setLinkUp(up);
                Check.that(Interrupts.await(t, port.driver().deadline(), Interrupts.CONFIG_CHANGE),
                        "interrupt causes " + change, "a configuration change notification", "none within the deadline");
                int status = awaitLink(port, up);
                Check.that(t.configGeneration() != generation, "config generation " + change + " (status 0x"
                        + Integer.toHexString(status) + ")", "a value other than " + generation, "the same value");
            }
        } finally {
            wire.setLinkUp(true);
        }
    }
}
