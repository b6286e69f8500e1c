package org.virtiotck.fuzz;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.transport.ConfigSpaceUnavailableException;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;

/**
 * Judges net requests. Every transmit completes. Every received packet has a plain header (flags and gso_type 0:
 * no receive offload is negotiated, §5.1.6.4.1) and a used len of at least a header and an ethernet header and at
 * most its buffer. Where the target exposes its {@link NetWire}: the wire carries each transmitted frame intact,
 * in the order made available, by the end of the batch (checked as frames arrive, then awaited until the
 * target's deadline); and each receive request first sends a frame from the wire, so every buffer is awaited and
 * the frames received, in completion order, are the frames sent. Without a wire, receive buffers stay posted for
 * whatever arrives (a target that loops transmitted frames back, say): a frame tagged as one transmitted in
 * the same batch must come back with the same type and payload (a loop may rewrite the addresses); other frames
 * are only checked for their header and length.
 *
 * <p>Frames never exceed 1514 bytes, or the mtu plus the ethernet header where the device offers MTU, so that
 * a device may not drop them for their size.
 */
final class NetOracle implements DeviceOracle {
    private final GuestMemory memory;
    private final Optional<NetWire> wire;
    private final Duration timeout;
    /**
     * Frames transmitted in this batch, by sequence number. Frames of earlier batches that come back late count
     * as foreign traffic: a case is judged on its own frames, whatever earlier ones a loop still holds.
     */
    private final Map<Long, byte[]> transmitted = new HashMap<>();
    private final ArrayDeque<byte[]> toWire = new ArrayDeque<>();
    private final ArrayDeque<byte[]> fromWire = new ArrayDeque<>();
    private long nextSeq;
    private int maxFrame = NetFuzzRequest.MAX_FRAME;
    /** The wire showed a wrong frame this batch: the frames after it cannot be matched any more. */
    private boolean wireWrong;

    NetOracle(Session session) {
        this.memory = session.memory();
        this.wire = session.farSide(NetWire.class);
        this.timeout = session.target().timeout();
        relearn();
    }

    @Override
    public void relearn() {
        toWire.clear();
        fromWire.clear();
        wireWrong = false;
        wire.ifPresent(w -> {
            w.drainSent();
            w.dropWaiting();
        });
    }

    @Override
    public void startBatch(VirtioDriver driver) {
        transmitted.clear();
        // A frame left waiting by the batch before (its receive buffer refused) would reach this batch's first
        // receive buffer: a reset leaves the wire as it was.
        wire.ifPresent(NetWire::dropWaiting);
        maxFrame = NetFuzzRequest.MAX_FRAME;
        // A vhost-user back-end without the CONFIG protocol feature has no config space to read: there the
        // frontend owns the MTU (QEMU sends it with NET_SET_MTU), and 1514-byte frames are what it would allow.
        if (driver.negotiated().has(Feature.NET_MTU)) {
            try {
                int mtu = (int) driver.transport().readConfig(NetConfig.MTU, 2);
                maxFrame = Math.max(NetFrames.TAGGED, Math.min(maxFrame, mtu + NetConfig.ETH_HEADER));
            } catch (ConfigSpaceUnavailableException e) {
                maxFrame = NetFuzzRequest.MAX_FRAME;
            }
        }
    }

    @Override
    public Prepared prepare(int index, FuzzRequest request, Allocator alloc) {
        NetFuzzRequest r = (NetFuzzRequest) request;
        long seq = nextSeq++;
        byte[] frame = NetFrames.frame(seq, Math.min(r.frameLength(), maxFrame));
        if (r.direction() == Direction.TRANSMIT) {
            byte[] packet = Arrays.copyOf(NetHeader.PLAIN.bytes(), NetHeader.SIZE + frame.length);
            System.arraycopy(frame, 0, packet, NetHeader.SIZE, frame.length);
            return new Prepared(1, Pieces.readable(alloc, packet, Cuts.fold(r.cuts(), packet.length)), List.of(),
                    r.indirect(), (c, out) -> wire.ifPresent(w -> takeFromWire(index, w, null, out)))
                    .offering(() -> {
                        transmitted.put(seq, frame);
                        wire.ifPresent(w -> toWire.add(frame));
                    });
        }
        List<Buffer> in = Pieces.writable(alloc, NetFuzzRequest.RX_BUFFER, r.cuts());
        Prepared p = new Prepared(0, List.of(), in, r.indirect(), (c, out) -> judgeReceive(index, c.usedLen(), in, out));
        if (wire.isEmpty()) {
            return p.notAwaited();
        }
        return p.offering(() -> {
            fromWire.add(frame);
            wire.get().inject(frame);
        });
    }

    /** Matches the frames on the wire with those transmitted, waiting until {@code deadline} if one is given. */
    private void takeFromWire(int index, NetWire w, Deadline deadline, Findings out) {
        while (!toWire.isEmpty() && !wireWrong) {
            Optional<byte[]> got = deadline == null ? w.pollSent() : w.awaitSent(deadline);
            if (got.isEmpty()) {
                return;
            }
            byte[] sent = toWire.poll();
            int differs = NetFrames.differs(sent, got.get(), 0);
            if (differs >= 0) {
                wireWrong = true;
                out.add(index, "wire", "a transmitted " + sent.length + "-byte frame reached the wire as "
                        + got.get().length + " bytes, differing from byte " + differs);
            }
        }
    }

    private void judgeReceive(int index, long usedLen, List<Buffer> in, Findings out) {
        byte[] expected = wire.isPresent() ? fromWire.poll() : null;
        if (usedLen < NetHeader.SIZE + NetFrames.ETH_HEADER || usedLen > NetFuzzRequest.RX_BUFFER) {
            out.add(index, "used-len", "receive buffer of " + NetFuzzRequest.RX_BUFFER + " bytes came back with used"
                    + " len " + usedLen + ", not a header and a frame");
            return;
        }
        byte[] packet = Pieces.read(memory, in, usedLen);
        NetHeader header = NetHeader.parse(packet);
        if (header.flags() != 0 || header.gsoType() != NetHeader.GSO_NONE) {
            out.add(index, "rx-header", "received header has flags " + header.flags() + " and gso_type "
                    + header.gsoType() + "; with no receive offload negotiated both must be 0");
        }
        byte[] frame = Arrays.copyOfRange(packet, NetHeader.SIZE, packet.length);
        if (wire.isPresent()) {
            if (expected == null) {
                out.add(index, "rx-frame", "a " + frame.length + "-byte frame arrived that the wire never sent");
                return;
            }
            int differs = NetFrames.differs(expected, frame, 0);
            if (differs >= 0) {
                out.add(index, "rx-frame", "a " + expected.length + "-byte frame sent from the wire arrived as "
                        + frame.length + " bytes, differing from byte " + differs);
            }
            return;
        }
        OptionalLong seq = NetFrames.seq(frame);
        byte[] sent = seq.isPresent() ? transmitted.get(seq.getAsLong()) : null;
        if (sent != null) {
            int differs = NetFrames.differs(sent, frame, 12);
            if (differs >= 0) {
                out.add(index, "loopback", "transmitted frame " + seq.getAsLong() + " of " + sent.length
                        + " bytes came back as " + frame.length + " bytes, differing from byte " + differs);
            }
        }
    }

    @Override
    public void endBatch(Findings out) {
        wire.ifPresent(w -> {
            takeFromWire(-1, w, Deadline.after(timeout), out);
            if (!toWire.isEmpty() && !wireWrong) {
                out.add(-1, "wire", toWire.size() + " transmitted frame(s) never reached the wire");
            }
            List<byte[]> extra = w.drainSent();
            if (!extra.isEmpty() && !wireWrong) {
                out.add(-1, "wire", extra.size() + " frame(s) reached the wire that the driver never transmitted");
            }
        });
        toWire.clear();
        wireWrong = false;
    }
}
