package org.virtiotck.probes.net;

import org.junit.jupiter.api.Assumptions;
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
 * The RX class commands (VIRTIO 1.2 §5.1.6.5.1.1): with CTRL_RX a device supports PROMISC and ALLMULTI, with
 * CTRL_RX_EXTRA also ALLUNI, NOMULTI, NOUNI and NOBCAST. Supporting one means acknowledging it with VIRTIO_NET_OK
 * and doing what it says to received frames: each probe starts from every mode off and an empty MAC table, then
 * turns its mode on and off again, injecting a frame of the kind the mode is about each time.
 *
 * <p>A mode that lets frames through (PROMISC, ALLMULTI, ALLUNI) can only be seen on a device that drops those
 * frames while it is off, which §5.1.6.5.2.1 only recommends; on a device that does not, the probe ends in SKIP.
 * A mode that suppresses frames (NOMULTI, NOUNI, NOBCAST) has no effect to see but the suppression, so the frame
 * must stop arriving while it is on.
 */
@ForDevice(DeviceType.NET)
class RxModeProbes {

    /** {@code command} lets frames to {@code destination} through: received while on, not while off. */
    private static void letsThrough(RxFilter f, int command, byte[] destination, String kind) {
        String name = NetCtrl.rxName(command);
        String frame = "a frame to " + kind + " " + Reception.mac(destination);
        f.everythingOff();
        Assumptions.assumeFalse(f.passes(destination), frame + " is received with every RX mode off, so what "
                + name + " lets through cannot be seen");
        f.mode(command, true);
        Check.that(f.passes(destination), frame + " with " + name + " on", "received", "dropped");
        f.mode(command, false);
        Check.that(!f.passes(destination), frame + " with " + name + " off again", "dropped, as before it was on",
                "received");
    }

    /** {@code command} suppresses frames to {@code destination}: not received while on, received while off. */
    private static void suppresses(RxFilter f, int command, byte[] destination, byte[] marker, String kind) {
        String name = NetCtrl.rxName(command);
        String frame = "a frame to " + kind + " " + Reception.mac(destination);
        Check.that(f.passes(destination, marker), frame + " with " + name + " off", "received", "dropped");
        f.mode(command, true);
        Check.that(!f.passes(destination, marker), frame + " with " + name + " on", "dropped", "received");
        f.mode(command, false);
        Check.that(f.passes(destination, marker), frame + " with " + name + " off again", "received", "dropped");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX, device supports RX_PROMISC", level = Level.MUST)
    void promisc(Session session) {
        letsThrough(RxFilter.start(session), NetCtrl.RX_PROMISC, RxFilter.FOREIGN, "another station's address");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX, device supports RX_ALLMULTI", level = Level.MUST)
    void allMulti(Session session) {
        letsThrough(RxFilter.start(session), NetCtrl.RX_ALLMULTI, RxFilter.MULTICAST, "a multicast address");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX_EXTRA, device supports RX_ALLUNI", level = Level.MUST)
    void allUni(Session session) {
        letsThrough(RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA), NetCtrl.RX_ALLUNI, RxFilter.FOREIGN,
                "another station's address");
    }

    /** With ALLMULTI on, so that multicast frames pass until NOMULTI stops them. */
    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX_EXTRA, device supports RX_NOMULTI", level = Level.MUST)
    void noMulti(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        f.mode(NetCtrl.RX_ALLMULTI, true);
        suppresses(f, NetCtrl.RX_NOMULTI, RxFilter.MULTICAST, f.own, "a multicast address (ALLMULTI on)");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX_EXTRA, device supports RX_NOUNI", level = Level.MUST)
    void noUni(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        suppresses(f, NetCtrl.RX_NOUNI, f.own, NetPort.broadcast(), "the device's own address");
    }

    @Probe
    @Clause(section = "5.1.6.5.1.1", label = "with CTRL_RX_EXTRA, device supports RX_NOBCAST", level = Level.MUST)
    void noBcast(Session session) {
        RxFilter f = RxFilter.start(session, Feature.NET_CTRL_RX_EXTRA);
        f.everythingOff();
        suppresses(f, NetCtrl.RX_NOBCAST, NetPort.broadcast(), f.own, "the broadcast address");
    }
}
