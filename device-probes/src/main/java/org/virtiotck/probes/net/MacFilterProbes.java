package org.virtiotck.probes.net;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The MAC class commands (VIRTIO 1.2 §5.1.6.5.2.1): the filter table is empty after reset and in effect once the
 * MAC_TABLE_SET buffer is used, and MAC_ADDR_SET changes {@code mac} before its buffer is used. The table is seen
 * through frames to its addresses with every RX mode off; a device that receives frames to any address then
 * (dropping them is only recommended) shows nothing of its table, and the table probes end in SKIP.
 */
@ForDevice(DeviceType.NET)
class MacFilterProbes {
    /** An address for MAC_ADDR_SET: locally administered, unicast, neither the reference's nor RxFilter's. */
    private static final byte[] NEW_MAC = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x42};

    private static void assumeFiltering(RxFilter f, byte[] destination) {
        Assumptions.assumeFalse(f.passes(destination), "a frame to " + Reception.mac(destination) + ", in no table,"
                + " is received with every RX mode off, so the MAC table's effect cannot be seen");
    }

    @Probe
    @Clause(section = "5.1.6.5.2.1", label = "MAC filter table is updated before the MAC_TABLE_SET buffer is used",
            level = Level.MUST)
    void tableInEffectOnceUsed(Session session) {
        RxFilter f = RxFilter.start(session);
        f.everythingOff();
        assumeFiltering(f, RxFilter.FOREIGN);
        boolean multicastFiltered = !f.passes(RxFilter.MULTICAST);
        NetPort.expectOk("MAC_TABLE_SET of one unicast and one multicast address",
                f.control.macTableSet(List.of(RxFilter.FOREIGN), List.of(RxFilter.MULTICAST)));
        Check.that(f.passes(RxFilter.FOREIGN), "a frame to " + Reception.mac(RxFilter.FOREIGN) + ", just put in the "
                + "unicast table, with every RX mode off", "received", "dropped");
        if (multicastFiltered) {
            Check.that(f.passes(RxFilter.MULTICAST), "a frame to " + Reception.mac(RxFilter.MULTICAST) + ", just put "
                    + "in the multicast table, with every RX mode off", "received", "dropped");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.2.1", label = "MAC filter table is empty after reset", level = Level.MUST)
    void tableEmptyAfterReset(Session session) {
        RxFilter before = RxFilter.start(session);
        before.everythingOff();
        NetPort.expectOk("MAC_TABLE_SET of one unicast address",
                before.control.macTableSet(List.of(RxFilter.FOREIGN), List.of()));
        RxFilter f = RxFilter.start(session);
        f.modesOff();
        assumeFiltering(f, RxFilter.OTHER_FOREIGN);
        Check.that(!f.passes(RxFilter.FOREIGN), "a frame to " + Reception.mac(RxFilter.FOREIGN) + ", put in the "
                + "unicast table before a reset, with every RX mode off after it", "dropped (the table is empty)",
                "received");
    }

    @Probe
    @Clause(section = "5.1.6.5.2.1", label = "with MAC negotiated, config mac is updated before the MAC_ADDR_SET buffer is used",
            level = Level.MUST)
    void macUpdatedOnceUsed(Session session) {
        NetPort port = NetPort.startWithControl(session, Feature.NET_CTRL_RX, Feature.NET_CTRL_MAC_ADDR);
        Assumptions.assumeTrue(port.has(Feature.NET_CTRL_MAC_ADDR), "device without VIRTIO_NET_F_CTRL_MAC_ADDR");
        Assumptions.assumeTrue(port.has(Feature.NET_MAC), "device without VIRTIO_NET_F_MAC");
        NetPort.expectOk("MAC_ADDR_SET " + Reception.mac(NEW_MAC), port.control().macAddrSet(NEW_MAC));
        HexFormat hex = HexFormat.ofDelimiter(":");
        Check.equal("mac in the configuration space once the MAC_ADDR_SET buffer was used", hex.formatHex(NEW_MAC),
                hex.formatHex(port.destination()));
    }
}
