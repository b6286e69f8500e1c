package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.UsedBuffer;
import org.virtiotck.probes.net.Reception.Packet;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Mergeable receive buffers (VIRTIO 1.2 §5.1.6.3.2, §5.1.6.4.1): with MRG_RXBUF a packet may spread over several
 * buffers; num_buffers in the first says how many, every one but the last is filled to its end, and all of them
 * are used together. Buffers of 64 to 512 bytes are posted, so the longer frames must spread.
 */
@ForDevice(DeviceType.NET)
class MergeableReceiveProbes {
    /** Eight in flight hold at least 1600 bytes, more than header and a 1514-byte frame. */
    private static final int[] SIZES = {256, 100, 512, 64, 300};

    /** Injects the usual frames and checks that the num_buffers buffers of every packet hold exactly header and frame. */
    private static List<Packet> numBuffersHoldsThePacket(NetWire wire, NetPort port, int seed) {
        List<byte[]> sent = Reception.frames(port, seed);
        Reception reception = port.mergeable() ? new Reception(port, SIZES) : new Reception(port, NetPort.RX_BUFFER);
        List<Packet> packets = reception.receive(wire, sent);
        List<byte[]> left = new ArrayList<>(sent);
        for (Packet p : packets) {
            Check.that(p.header().map(h -> h.numBuffers() == p.buffers().size()).orElse(false), "num_buffers of a"
                    + " received packet", "the " + p.buffers().size() + " buffer(s) that hold it", p.describe());
            Check.that(Reception.takeMatching(left, p.frame()), "the packet the first buffer's num_buffers announces ("
                    + p.describe() + ")", "header and one whole injected frame of " + sent.stream().map(f -> f.length).toList()
                    + " bytes", p.frame().length + " bytes after the header that match no frame not yet received");
        }
        return packets;
    }

    @Probe
    @Clause(section = "5.1.6.3.2", label = "num_buffers is the number of buffers that hold the received packet", level = Level.MUST)
    void numBuffersCountsTheBuffersHoldingThePacket(Session session) {
        NetWire wire = NetPort.wire(session);
        numBuffersHoldsThePacket(wire, NetPort.start(session, NetPort.MERGEABLE), 70);
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "with MRG_RXBUF, num_buffers counts the buffers the packet and header span", level = Level.MUST)
    void mergedNumBuffersCountsTheSpan(Session session) {
        NetWire wire = NetPort.wire(session);
        List<Packet> packets = numBuffersHoldsThePacket(wire, NetPort.startMergeable(session), 80);
        Check.that(packets.stream().anyMatch(p -> p.buffers().size() > 1), "packets received into buffers of "
                + Arrays.toString(SIZES) + " bytes", "at least one spread over several buffers",
                "every packet in one buffer");
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "a packet spread over several buffers fills every buffer but the last completely",
            level = Level.MUST)
    void everyBufferButTheLastIsFull(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.startMergeable(session);
        for (Packet p : new Reception(port, SIZES).receive(wire, Reception.frames(port, 90))) {
            List<UsedBuffer> b = p.buffers();
            for (int i = 0; i < b.size() - 1; i++) {
                Check.equal("used len of buffer " + (i + 1) + " of a packet spread over " + b.size()
                        + " (not the last), against its " + b.get(i).writable().length + " bytes",
                        (long) b.get(i).writable().length, b.get(i).usedLen());
            }
        }
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "all buffers of one received packet are marked used together", level = Level.MUST)
    void buffersOfAPacketAreUsedTogether(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.startMergeable(session);
        for (Packet p : new Reception(port, SIZES).receive(wire, Reception.frames(port, 100))) {
            Check.that(p.usedTogether(), "the used ring when the driver saw the first buffer of a packet ("
                    + p.describe() + ")", "every buffer num_buffers announces already used",
                    "some used only later");
        }
    }
}
