package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.net.Reception.Packet;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The mtu field and what it promises (VIRTIO 1.2 §5.1.4.1): within 68..65535 (at least 1280 recommended) when
 * MTU is offered, never changed, and once MTU is negotiated, frames up to mtu plus the 14-byte ethernet header
 * go out whole while larger ones never reach the driver. The field may be read before FEATURES_OK (§2.5.2).
 */
@ForDevice(DeviceType.NET)
class NetMtuProbes {

    /** The mtu of a freshly reset device, or SKIP when MTU is not offered. */
    private static int offeredMtu(Session session) {
        session.driver().reset();
        Transport t = session.transport();
        Assumptions.assumeTrue(t.deviceFeatures().has(Feature.NET_MTU), "device without VIRTIO_NET_F_MTU");
        return (int) t.readConfig(NetConfig.MTU, 2);
    }

    /** Starts with MTU negotiated, or ends in SKIP. */
    private static NetPort withMtu(Session session) {
        NetPort port = NetPort.start(session);
        Assumptions.assumeTrue(port.has(Feature.NET_MTU), "device without VIRTIO_NET_F_MTU");
        return port;
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with MTU offered, mtu is between 68 and 65535", level = Level.MUST)
    void mtuWithinRange(Session session) {
        int mtu = offeredMtu(session);
        Check.that(mtu >= NetConfig.MTU_MIN && mtu <= NetConfig.MTU_MAX, "mtu with VIRTIO_NET_F_MTU offered",
                NetConfig.MTU_MIN + ".." + NetConfig.MTU_MAX, String.valueOf(mtu));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with MTU offered, mtu is at least 1280", level = Level.SHOULD)
    void mtuAtLeast1280(Session session) {
        int mtu = offeredMtu(session);
        Check.that(mtu >= NetConfig.MTU_RECOMMENDED_MIN, "mtu with VIRTIO_NET_F_MTU offered",
                "at least " + NetConfig.MTU_RECOMMENDED_MIN, String.valueOf(mtu));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "mtu never changes once set", level = Level.MUST)
    void mtuNeverChanges(Session session) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        seen.put("after reset", offeredMtu(session));
        NetPort port = NetPort.start(session);
        seen.put("at DRIVER_OK", port.mtu());
        port.transmit(NetHeader.PLAIN, NetPort.frame(NetPort.broadcast(), 60, 1), TxLayout.ONE_DESCRIPTOR);
        seen.put("after a transmitted frame", port.mtu());
        NetWire wire = session.farSide(NetWire.class).orElse(null);
        if (wire != null && wire.canSetLink()) {
            try {
                wire.setLinkUp(false);
                seen.put("with the link down", port.mtu());
            } finally {
                wire.setLinkUp(true);
            }
            seen.put("with the link up again", port.mtu());
        }
        session.driver().reset();
        seen.put("after a second reset", port.mtu());
        Check.that(seen.values().stream().distinct().count() == 1, "mtu read at several points of the device's life",
                "the same value each time", seen.toString());
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with MTU negotiated, transmitted packets up to mtu (gso NONE or ECN) go out unfragmented",
            level = Level.MUST)
    void framesUpToMtuGoOutWhole(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = withMtu(session);
        wire.drainSent();
        int max = port.mtu() + NetConfig.ETH_HEADER;
        List<byte[]> frames = List.of(NetPort.frame(NetPort.broadcast(), max, 1),
                NetPort.frame(NetPort.broadcast(), max - 1, 2), NetPort.frame(NetPort.broadcast(), 60, 3));
        port.transmit(NetHeader.PLAIN, frames, List.of(TxLayout.HEADER_THEN_FRAME));
        port.expectOnWire(wire, frames, "of " + max + ", " + (max - 1) + " and 60 bytes with mtu " + port.mtu());
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with MTU negotiated, no received packet of gso_type NONE or ECN exceeds mtu",
            level = Level.MUST)
    void noReceivedFrameAboveMtu(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = withMtu(session);
        int max = port.mtu() + NetConfig.ETH_HEADER;
        byte[] oversize = NetPort.frame(port.destination(), max + 1, 4);
        byte[] marker = NetPort.frame(port.destination(), 60, 5);
        // Buffers big enough for the oversize frame, so only the mtu can keep it from the driver.
        Reception reception = new Reception(port, NetHeader.SIZE + oversize.length);
        reception.topUp();
        wire.inject(oversize);
        wire.inject(marker);
        List<Packet> got = new ArrayList<>();
        Deadline d = port.driver().deadline();
        while (got.stream().noneMatch(p -> p.frame().length == marker.length) && !d.expired()) {
            got.addAll(reception.await(1));
        }
        for (Packet p : got) {
            Check.that(p.frame().length <= max, "a packet received after a " + oversize.length + "-byte frame (mtu "
                    + port.mtu() + ") and a 60-byte one were injected", "at most " + max + " frame bytes",
                    p.frame().length + " (" + p.describe() + ")");
        }
        Check.that(!got.isEmpty(), "packets received after a " + oversize.length + "-byte frame (mtu " + port.mtu()
                + ") and a 60-byte one were injected", "the 60-byte frame", "nothing within the deadline");
    }
}
