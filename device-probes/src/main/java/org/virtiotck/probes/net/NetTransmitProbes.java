package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Packet transmission (VIRTIO 1.2 §5.1.6.2): the frame after the virtio_net_hdr goes out on the wire as the
 * driver wrote it, without the header, however header and frame are cut into descriptors; the device writes
 * nothing into a transmit buffer, so its used len is 0 (§2.7.8.2); and without NEEDS_CSUM, csum_start and
 * csum_offset change nothing (§5.1.6.2.2). Headers are plain (flags 0, GSO_NONE), as §5.1.6.2.1 asks of a
 * driver that negotiated no offload.
 */
@ForDevice(DeviceType.NET)
class NetTransmitProbes {

    /** Frame lengths sent in each layout: a minimal ethernet frame, an odd one, and the largest allowed. */
    private static int[] lengths(NetPort port) {
        return new int[] {60, 333, port.maxFrame()};
    }

    @Probe
    @Clause(section = "5.1.6.2", label = "the frame after the header of a transmitq buffer goes out intact, without the header",
            level = Level.MUST)
    void framesGoOutWithoutTheHeader(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        wire.drainSent();
        int seed = 1;
        for (TxLayout layout : TxLayout.usableOn(port.tx())) {
            for (int length : lengths(port)) {
                byte[] frame = NetPort.frame(NetPort.broadcast(), length, seed++);
                port.transmit(NetHeader.PLAIN, frame, layout);
                port.expectOnWire(wire, List.of(frame), "sent alone as " + layout);
            }
        }
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            batch.add(NetPort.frame(NetPort.broadcast(), 60 + 97 * i, seed++));
        }
        port.transmit(NetHeader.PLAIN, batch, TxLayout.usableOn(port.tx()));
        port.expectOnWire(wire, batch, "made available behind one notification, layouts rotating");
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len never exceeds the bytes the device wrote",
            level = Level.MUST)
    void transmitUsedLenIsZero(Session session) {
        NetPort port = NetPort.start(session);
        for (TxLayout layout : TxLayout.usableOn(port.tx())) {
            Completion c = port.transmit(NetHeader.PLAIN, NetPort.frame(NetPort.broadcast(), 100, 2), layout);
            Check.equal("used len of a transmit buffer (header and 100-byte frame) laid out as " + layout
                    + ", which has no device-writable byte", 0L, c.usedLen());
        }
    }

    @Probe
    @Clause(section = "5.1.6.2.2", label = "without NEEDS_CSUM on transmit, device ignores csum_start and csum_offset",
            level = Level.MUST)
    void checksumFieldsIgnoredWithoutNeedsCsum(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        wire.drainSent();
        byte[] frame = NetPort.frame(NetPort.broadcast(), 200, 5);
        // Inside the frame: a device computing a checksum there would rewrite bytes 16 and 17. Beyond it: a device
        // trusting them would read or write past the packet, or drop it.
        int[][] fields = {{14, 2}, {frame.length + 100, 0xfff0}, {0xffff, 0xffff}};
        for (int[] f : fields) {
            NetHeader header = new NetHeader(0, NetHeader.GSO_NONE, 0, 0, f[0], f[1], 0);
            port.transmit(header, frame, TxLayout.HEADER_THEN_FRAME);
            port.expectOnWire(wire, List.of(frame), "sent with flags 0, csum_start " + f[0] + " and csum_offset " + f[1]);
        }
    }

    /**
     * Flag bits 3 to 7 have no meaning in VIRTIO 1.2 (§5.1.6 defines NEEDS_CSUM, DATA_VALID and RSC_INFO), so a
     * device sends a frame whose header carries them as if they were clear.
     */
    @Probe
    @Clause(section = "5.1.6.2.2", label = "device ignores header flag bits it does not know on transmit", level = Level.MUST)
    void unknownFlagsIgnored(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        wire.drainSent();
        int seed = 40;
        for (int flags : new int[] {0x08, 0x10, 0x20, 0x40, 0x80, 0xf8}) {
            byte[] frame = NetPort.frame(NetPort.broadcast(), 100, seed++);
            port.transmit(new NetHeader(flags, NetHeader.GSO_NONE, 0, 0, 0, 0, 0), frame, TxLayout.HEADER_THEN_FRAME);
            port.expectOnWire(wire, List.of(frame), "sent with flags 0x" + Integer.toHexString(flags));
        }
    }
}
