package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.net.Reception.Packet;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The header of a received packet when the driver negotiated no receive offload (VIRTIO 1.2 §5.1.6.4.1): flags 0,
 * so neither NEEDS_CSUM, DATA_VALID nor RSC_INFO, and gso_type NONE, so none of the GSO types. The driver model
 * never negotiates GUEST_CSUM, GUEST_TSO4/6, GUEST_UFO or RSC_EXT, so every packet is held to all of these.
 */
@ForDevice(DeviceType.NET)
class ReceiveHeaderProbes {

    /** Receives the usual frames and checks {@code holds} on every header. */
    private static void everyHeader(Session session, String what, String expected, Predicate<NetHeader> holds) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        List<Packet> packets = new Reception(port, NetPort.RX_BUFFER).receive(wire, Reception.frames(port, 60));
        List<String> bad = new ArrayList<>();
        for (Packet p : packets) {
            if (p.header().isEmpty() || !holds.test(p.header().get())) {
                bad.add(p.describe());
            }
        }
        Check.that(bad.isEmpty(), what + " of " + packets.size() + " received packets, no receive offload negotiated",
                expected, bad.size() + " packet(s) otherwise, the first: " + (bad.isEmpty() ? "" : bad.get(0)));
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without GUEST_CSUM, received header flags are 0", level = Level.MUST)
    void flagsAreZero(Session session) {
        everyHeader(session, "header flags", "0", h -> h.flags() == 0);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without RSC_EXT, RSC_INFO is never set", level = Level.MUST)
    void noRscInfo(Session session) {
        everyHeader(session, "the RSC_INFO flag", "clear", h -> (h.flags() & NetHeader.F_RSC_INFO) == 0);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without GUEST_TSO4, GUEST_TSO6 or GUEST_UFO, gso_type is NONE", level = Level.MUST)
    void gsoTypeIsNone(Session session) {
        everyHeader(session, "gso_type", "NONE (0)", h -> h.gsoType() == NetHeader.GSO_NONE);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without GUEST_TSO4, gso_type is never TCPV4", level = Level.MUST)
    void gsoTypeNeverTcpv4(Session session) {
        everyHeader(session, "gso_type without its ECN bit", "anything but TCPV4 (1)",
                h -> (h.gsoType() & ~NetHeader.GSO_ECN) != NetHeader.GSO_TCPV4);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without GUEST_UFO, gso_type is never UDP", level = Level.MUST)
    void gsoTypeNeverUdp(Session session) {
        everyHeader(session, "gso_type", "anything but UDP (3)", h -> h.gsoType() != NetHeader.GSO_UDP);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without GUEST_TSO6, gso_type is never TCPV6", level = Level.MUST)
    void gsoTypeNeverTcpv6(Session session) {
        everyHeader(session, "gso_type without its ECN bit", "anything but TCPV6 (4)",
                h -> (h.gsoType() & ~NetHeader.GSO_ECN) != NetHeader.GSO_TCPV6);
    }
}
