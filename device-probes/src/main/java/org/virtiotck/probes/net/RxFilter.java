package org.virtiotck.probes.net;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.net.NetControl;
import org.virtiotck.driver.net.NetCtrl;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;

/**
 * A net device started with CTRL_RX (and CTRL_RX_EXTRA where offered) as the receive filter probes use it
 * (VIRTIO 1.2 §5.1.6.5.1, §5.1.6.5.2): the control queue, receiveq1 with buffers posted, the wire, and frames to
 * the kinds of destination the filter tells apart. A frame's fate is read with a marker frame behind it (see
 * {@link Reception#passes}), so a dropped frame costs no timeout.
 */
final class RxFilter {
    /** A locally administered unicast address that is not the device's. */
    static final byte[] FOREIGN = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x7e};
    /** Another one, never put in a MAC table. */
    static final byte[] OTHER_FOREIGN = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x7d};
    /** A locally administered multicast address. */
    static final byte[] MULTICAST = {0x03, 0x76, 0x74, 0x63, 0x6b, 0x02};

    /** Multicast addresses of several kinds: locally administered, IPv4 (01:00:5e) and IPv6 (33:33) mapped. */
    static List<byte[]> multicasts() {
        return List.of(MULTICAST, new byte[] {0x01, 0x00, 0x5e, 0x7f, 0x00, 0x01},
                new byte[] {0x33, 0x33, 0x00, 0x00, 0x00, 0x01});
    }

    final NetPort port;
    final NetControl control;
    final NetWire wire;
    final byte[] own;
    private final Reception reception;
    private int seed = 100;

    private RxFilter(NetPort port, NetWire wire) {
        this.port = port;
        this.control = port.control();
        this.wire = wire;
        this.own = port.destination();
        this.reception = new Reception(port, NetPort.RX_BUFFER);
    }

    /**
     * Starts with CTRL_RX, MAC and {@code extra}; ends in SKIP without CTRL_RX or MAC (the device's own address
     * is what unicast filtering keeps) or without a wire.
     */
    static RxFilter start(Session session, Feature... extra) {
        NetWire wire = NetPort.wire(session);
        Feature[] wanted = Arrays.copyOf(extra, extra.length + 1);
        wanted[extra.length] = Feature.NET_CTRL_RX;
        NetPort port = NetPort.startWithControl(session, wanted);
        Assumptions.assumeTrue(port.has(Feature.NET_CTRL_RX), "device without VIRTIO_NET_F_CTRL_RX");
        Assumptions.assumeTrue(port.has(Feature.NET_MAC), "device without VIRTIO_NET_F_MAC");
        for (Feature f : extra) {
            Assumptions.assumeTrue(port.has(f), "device without VIRTIO_NET_F_" + f.name().substring(4));
        }
        return new RxFilter(port, wire);
    }

    /** Sends one RX class command and checks that it was acknowledged. */
    void mode(int command, boolean on) {
        NetPort.expectOk(NetCtrl.rxName(command) + " " + (on ? "on" : "off"), control.rxMode(command, on));
    }

    /** Turns every RX mode the device negotiated off and empties the MAC table: only its own address and broadcast pass. */
    void everythingOff() {
        modesOff();
        NetPort.expectOk("MAC_TABLE_SET with both tables empty", control.macTableSet(List.of(), List.of()));
    }

    /** Turns every RX mode the device negotiated off, leaving the MAC table as it is. */
    void modesOff() {
        mode(NetCtrl.RX_PROMISC, false);
        mode(NetCtrl.RX_ALLMULTI, false);
        if (port.has(Feature.NET_CTRL_RX_EXTRA)) {
            for (int c = NetCtrl.RX_ALLUNI; c <= NetCtrl.RX_NOBCAST; c++) {
                mode(c, false);
            }
        }
    }

    /** Whether a frame to {@code destination} reaches the driver; the marker goes to {@code marker}. */
    boolean passes(byte[] destination, byte[] marker) {
        byte[] frame = NetPort.frame(destination, 60, seed++);
        return reception.passes(wire, frame, NetPort.frame(marker, 60, seed++), "a frame to " + Reception.mac(destination));
    }

    /** Whether a frame to {@code destination} reaches the driver, with a marker to the device's own address. */
    boolean passes(byte[] destination) {
        return passes(destination, own);
    }
}
