package org.virtiotck.probes.net;

import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetCtrl;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What the RX modes SHOULD do to received frames (VIRTIO 1.2 §5.1.6.5.1.1, §5.1.6.5.2.1), beyond the support the
 * RX commands MUST have (see {@link RxModeProbes}): promiscuous mode passes every frame whatever else is on, an
 * "all" mode passes every frame of its kind, a suppression stops every frame of its kind (table entries and the
 * matching "all" mode included) but leaves other kinds alone, and with every mode off a frame to an address in
 * neither {@code mac} nor the table is dropped.
 */
@ForDevice(DeviceType.NET)
class RxModeRecommendationProbes {

    private static void received(RxFilter f, byte[] destination, byte[] marker, String modes) {
        Check.that(f.passes(destination, marker), "a frame to " + Reception.mac(destination) + " with " + modes,
                "received", "dropped");
    }

    private static void dropped(RxFilter f, byte[] destination, byte[] marker, String modes) {
        Check.that(!f.passes(destination, marker), "a frame to " + Reception.mac(destination) + " with " + modes,
                "dropped", "received");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "in promiscuous mode, device receives every incoming packet", level = Level.SHOULD)
    void promiscuousReceivesEverything(Session session) {
        RxFilter f = RxFilter.start(session);
        f.everythingOff();
        f.mode(NetCtrl.RX_PROMISC, true);
        for (byte[] to : new byte[][] {RxFilter.FOREIGN, RxFilter.MULTICAST, NetPort.broadcast(), f.own}) {
            received(f, to, f.own, "PROMISC on");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "promiscuous mode applies whatever other RX mode is on", level = Level.SHOULD)
    void promiscuousWinsOverSuppressions(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        for (int c = NetCtrl.RX_NOMULTI; c <= NetCtrl.RX_NOBCAST; c++) {
            f.mode(c, true);
        }
        f.mode(NetCtrl.RX_PROMISC, true);
        for (byte[] to : new byte[][] {RxFilter.FOREIGN, RxFilter.MULTICAST, NetPort.broadcast(), f.own}) {
            received(f, to, f.own, "NOMULTI, NOUNI, NOBCAST and then PROMISC on");
        }
    }

    /** The marker goes to the device's own address, which NOMULTI leaves alone too. */
    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "NOMULTI does not filter broadcast packets", level = Level.SHOULD)
    void noMultiSparesBroadcast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_NOMULTI, true);
        received(f, NetPort.broadcast(), f.own, "NOMULTI on");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "NOBCAST applies even with ALLMULTI on", level = Level.SHOULD)
    void noBcastWinsOverAllMulti(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLMULTI, true);
        f.mode(NetCtrl.RX_NOBCAST, true);
        dropped(f, NetPort.broadcast(), f.own, "ALLMULTI and then NOBCAST on");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "NOUNI applies even with ALLUNI on", level = Level.SHOULD)
    void noUniWinsOverAllUni(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLUNI, true);
        f.mode(NetCtrl.RX_NOUNI, true);
        for (byte[] to : new byte[][] {RxFilter.FOREIGN, f.own}) {
            dropped(f, to, NetPort.broadcast(), "ALLUNI and then NOUNI on");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.2.1", label = "device drops packets whose destination MAC matches neither mac nor the filter table",
            level = Level.SHOULD)
    void unmatchedDestinationsDropped(Session session) {
        RxFilter f = RxFilter.start(session);
        f.everythingOff();
        for (byte[] to : new byte[][] {RxFilter.FOREIGN, RxFilter.MULTICAST}) {
            dropped(f, to, f.own, "every RX mode off and an empty MAC table");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with all-multicast on, device passes every multicast packet", level = Level.SHOULD)
    void allMultiPassesEveryMulticast(Session session) {
        RxFilter f = RxFilter.start(session);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLMULTI, true);
        for (byte[] to : RxFilter.multicasts()) {
            received(f, to, f.own, "ALLMULTI on and an empty MAC table");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with all-unicast on, device passes every unicast packet", level = Level.SHOULD)
    void allUniPassesEveryUnicast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLUNI, true);
        for (byte[] to : new byte[][] {RxFilter.FOREIGN, RxFilter.OTHER_FOREIGN, f.own}) {
            received(f, to, f.own, "ALLUNI on and an empty MAC table");
        }
    }

    /** The multicast address is in the table, so only NOMULTI can stop it. */
    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with NOMULTI on, device sends no multicast packet", level = Level.SHOULD)
    void noMultiStopsMulticast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        NetPort.expectOk("MAC_TABLE_SET of one multicast address",
                f.control.macTableSet(List.of(), List.of(RxFilter.MULTICAST)));
        f.mode(NetCtrl.RX_NOMULTI, true);
        dropped(f, RxFilter.MULTICAST, f.own, "NOMULTI on and the address in the multicast table");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "NOMULTI applies even with ALLMULTI on", level = Level.SHOULD)
    void noMultiWinsOverAllMulti(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLMULTI, true);
        f.mode(NetCtrl.RX_NOMULTI, true);
        for (byte[] to : RxFilter.multicasts()) {
            dropped(f, to, f.own, "ALLMULTI and then NOMULTI on");
        }
    }

    /** The device's own address and one in the unicast table: NOUNI stops both. */
    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with NOUNI on, device sends no unicast packet", level = Level.SHOULD)
    void noUniStopsUnicast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        NetPort.expectOk("MAC_TABLE_SET of one unicast address",
                f.control.macTableSet(List.of(RxFilter.FOREIGN), List.of()));
        f.mode(NetCtrl.RX_NOUNI, true);
        for (byte[] to : new byte[][] {f.own, RxFilter.FOREIGN}) {
            dropped(f, to, NetPort.broadcast(), "NOUNI on and " + Reception.mac(RxFilter.FOREIGN) + " in the unicast table");
        }
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with NOBCAST on, device sends no broadcast packet", level = Level.SHOULD)
    void noBcastStopsBroadcast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_NOBCAST, true);
        dropped(f, NetPort.broadcast(), f.own, "NOBCAST on");
    }
}
