package org.virtiotck.probes.net;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Gratuitous packet sending (VIRTIO 1.2 §5.1.6.5.4): the far side asks the device to have the driver announce
 * itself, the device sets ANNOUNCE in {@code status}, and the driver's ANNOUNCE_ACK clears it before its buffer
 * is used.
 */
@ForDevice(DeviceType.NET)
class AnnounceProbes {

    @Probe
    @Clause(section = "5.1.6.5.4.2", label = "with GUEST_ANNOUNCE, ANNOUNCE_ACK clears the ANNOUNCE status bit before its buffer is used",
            level = Level.MUST)
    void ackClearsAnnounce(Session session) {
        NetWire wire = NetPort.wire(session);
        Assumptions.assumeTrue(wire.canAnnounce(), "target " + session.target().canonical()
                + " cannot make the device ask for an announcement");
        NetPort port = NetPort.startWithControl(session, Feature.NET_GUEST_ANNOUNCE);
        Assumptions.assumeTrue(port.has(Feature.NET_GUEST_ANNOUNCE), "device without VIRTIO_NET_F_GUEST_ANNOUNCE");
        Assumptions.assumeTrue(port.has(Feature.NET_STATUS), "device without VIRTIO_NET_F_STATUS, so no ANNOUNCE bit");
        wire.announce();
        Deadline d = port.driver().deadline();
        int status = port.status();
        for (int attempt = 0; (status & NetConfig.S_ANNOUNCE) == 0 && !d.expired(); attempt++) {
            Deadline.pause(attempt);
            status = port.status();
        }
        Check.that((status & NetConfig.S_ANNOUNCE) != 0, "status after the far side asked for an announcement",
                "ANNOUNCE (0x2) set", "0x" + Integer.toHexString(status) + " within the deadline");
        NetPort.expectOk("ANNOUNCE_ACK", port.control().announceAck());
        status = port.status();
        Check.that((status & NetConfig.S_ANNOUNCE) == 0, "status once the ANNOUNCE_ACK buffer was used",
                "ANNOUNCE (0x2) clear", "0x" + Integer.toHexString(status));
    }
}
