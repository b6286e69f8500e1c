package org.virtiotck.probes.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.UsedBuffer;
import org.virtiotck.probes.net.Reception.Packet;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Packet reception without MRG_RXBUF (VIRTIO 1.2 §5.1.6.3, §5.1.6.4): frames injected on the wire come back one
 * per receive buffer, right after their header, with num_buffers 1, and each buffer's used len counts the header
 * and frame the device wrote (§2.7.8.2). Buffers are 1526 bytes, as §5.1.6.3.1 recommends, cut into one, three
 * or indirect descriptors in turn.
 */
@ForDevice(DeviceType.NET)
class NetReceiveProbes {

    private static List<Packet> receiveFrames(Session session, int seed, List<byte[]> sent) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        sent.addAll(Reception.frames(port, seed));
        return new Reception(port, NetPort.RX_BUFFER).receive(wire, sent);
    }

    @Probe
    @Clause(section = "5.1.6.4", label = "a received frame follows its header in the used buffer, intact", level = Level.MUST)
    void receivedFramesAreIntact(Session session) {
        List<byte[]> sent = new ArrayList<>();
        List<Packet> packets = receiveFrames(session, 10, sent);
        List<byte[]> left = new ArrayList<>(sent);
        for (Packet p : packets) {
            Check.that(Reception.takeMatching(left, p.frame()), "the bytes after the header of a received packet ("
                    + p.describe() + ")", "one of the injected frames of " + sent.stream().map(f -> f.length).toList()
                    + " bytes, whole", p.frame().length + " bytes that match none of those not yet received");
        }
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len never exceeds the bytes the device wrote",
            level = Level.MUST)
    void receiveUsedLenNotAboveWritten(Session session) {
        for (Packet p : receiveFrames(session, 20, new ArrayList<>())) {
            UsedBuffer b = p.buffers().get(0);
            Check.that(b.usedLen() <= b.writtenFromStart(), "used len of a " + b.writable().length
                    + "-byte receive buffer", "at most the " + b.writtenFromStart() + " bytes written from its start",
                    "len " + b.usedLen());
        }
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4",
            label = "used len equals the bytes written (underestimates are meant for error cases only)", level = Level.SHOULD)
    void receiveUsedLenIsHeaderAndFrame(Session session) {
        List<byte[]> sent = new ArrayList<>();
        List<Packet> packets = receiveFrames(session, 30, sent);
        for (Packet p : packets) {
            UsedBuffer b = p.buffers().get(0);
            Check.equal("used len of a receive buffer, against the bytes written in it (header and frame)",
                    (long) b.written(), b.usedLen());
        }
    }

    @Probe
    @Clause(section = "5.1.6.4.1", label = "without MRG_RXBUF, num_buffers is 1", level = Level.MUST)
    void numBuffersIsOne(Session session) {
        for (Packet p : receiveFrames(session, 40, new ArrayList<>())) {
            Optional<NetHeader> h = p.header();
            Check.that(h.isPresent() && h.get().numBuffers() == 1, "num_buffers of a packet received without MRG_RXBUF",
                    "1", p.describe());
        }
    }

    /**
     * Posts buffers too small for a first frame, then injects it and a small one, then posts buffers big enough
     * for both. A device may drop the big frame (QEMU does), or hold it for a big buffer; either way, without
     * MRG_RXBUF each used buffer holds one whole packet and nothing spreads over several.
     */
    @Probe
    @Clause(section = "5.1.6.3.2", label = "without MRG_RXBUF, each received packet uses a single buffer", level = Level.MUST)
    void eachPacketInOneBuffer(Session session) {
        NetWire wire = NetPort.wire(session);
        NetPort port = NetPort.start(session);
        byte[] big = NetPort.frame(port.destination(), 600, 50);
        byte[] small = NetPort.frame(port.destination(), 60, 51);
        for (int i = 0; i < 4; i++) {
            port.post(200, ChainLayout.ONE_DESCRIPTOR);
        }
        port.kickRx();
        wire.inject(big);
        wire.inject(small);
        Interrupts.settle();
        port.post(NetPort.RX_BUFFER, ChainLayout.ONE_DESCRIPTOR);
        port.post(NetPort.RX_BUFFER, ChainLayout.ONE_DESCRIPTOR);
        port.kickRx();
        List<UsedBuffer> used = new ArrayList<>();
        Deadline d = port.driver().deadline();
        boolean smallSeen = false;
        for (int attempt = 0; !smallSeen && !d.expired(); attempt++) {
            Optional<UsedBuffer> b = port.pollRx();
            if (b.isEmpty()) {
                Deadline.pause(attempt);
                continue;
            }
            used.add(b.get());
            smallSeen = b.get().usedLen() == NetHeader.SIZE + small.length;
        }
        for (UsedBuffer b : used) {
            Packet p = new Packet(List.of(b), true);
            byte[] frame = p.frame();
            boolean whole = Arrays.equals(frame, big) || Arrays.equals(frame, small);
            Check.that(whole && p.header().map(h -> h.numBuffers() == 1).orElse(false),
                    "a used receive buffer after a 600-byte frame met 200-byte buffers and a 60-byte frame followed",
                    "a header with num_buffers 1 and one whole frame in the buffer", p.describe() + ", "
                            + frame.length + " frame bytes");
        }
        Check.that(smallSeen, "receive buffers used after a 600-byte then a 60-byte frame were injected, with four 200-byte"
                + " buffers and later two " + NetPort.RX_BUFFER + "-byte ones posted", "the 60-byte frame in one of them",
                used.size() + " used buffer(s) within the deadline, none holding it");
    }
}
