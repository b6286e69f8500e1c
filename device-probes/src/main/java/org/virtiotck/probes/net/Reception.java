package org.virtiotck.probes.net;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.UsedBuffer;

/**
 * The receive side of a probe: keeps receive buffers posted (sizes and layouts rotating) and turns the used
 * ones into packets. Without MRG_RXBUF every used buffer is one packet (§5.1.6.3.2); with it, the first buffer's
 * {@code num_buffers} says how many used buffers the packet takes (§5.1.6.4.1).
 */
final class Reception {
    /** Buffers kept in flight while packets are awaited. */
    private static final int POSTED = 8;
    /** A num_buffers beyond this cannot be true for a queue of our size; the packet is taken as it stands. */
    private static final int MAX_PLAUSIBLE_BUFFERS = 64;

    private final NetPort port;
    private final int[] sizes;
    private final List<ChainLayout> layouts;
    private int inFlight;
    private int posts;

    /** Posts buffers of {@code sizes} in turn (each at least a header with MRG_RXBUF, §5.1.6.3.1). */
    Reception(NetPort port, int... sizes) {
        this.port = port;
        this.sizes = sizes.clone();
        this.layouts = ChainLayout.usableOn(port.rx());
    }

    /**
     * One received packet: the used buffers that hold it, in used order, and whether all of them were already
     * used when the driver saw the first (§5.1.6.4.1).
     */
    record Packet(List<UsedBuffer> buffers, boolean usedTogether) {

        /** Every byte the used lens claim, header first. */
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            buffers.forEach(b -> out.writeBytes(b.data()));
            return out.toByteArray();
        }

        /** The header at the start of the first buffer; empty when the device claims fewer bytes than a header. */
        Optional<NetHeader> header() {
            byte[] first = buffers.get(0).data();
            return first.length < NetHeader.SIZE ? Optional.empty() : Optional.of(NetHeader.parse(first));
        }

        /** The bytes after the header. */
        byte[] frame() {
            byte[] all = bytes();
            return Arrays.copyOfRange(all, Math.min(NetHeader.SIZE, all.length), all.length);
        }

        String describe() {
            return buffers.size() + " used buffer(s) with used lens "
                    + buffers.stream().map(b -> String.valueOf(b.usedLen())).toList() + ", header "
                    + header().map(Object::toString).orElse("missing");
        }
    }

    /**
     * Waits until {@code count} packets arrived, and returns them in the order they came; fewer when the
     * deadline passed first (the probe decides what that means).
     */
    List<Packet> await(int count) {
        List<Packet> packets = new ArrayList<>();
        Deadline d = port.driver().deadline();
        for (int attempt = 0; packets.size() < count && !d.expired(); attempt++) {
            topUp();
            Optional<UsedBuffer> first = poll();
            if (first.isPresent()) {
                packets.add(rest(first.get(), d));
                attempt = 0;
            } else {
                Deadline.pause(attempt);
            }
        }
        return packets;
    }

    /** Posts buffers until {@value #POSTED} are in flight, and notifies if the device asks for it. */
    void topUp() {
        boolean added = false;
        while (inFlight < POSTED) {
            port.post(sizes[posts % sizes.length], layouts.get(posts % layouts.size()));
            posts++;
            inFlight++;
            added = true;
        }
        if (added) {
            port.kickRx();
        }
    }

    private Optional<UsedBuffer> poll() {
        Optional<UsedBuffer> b = port.pollRx();
        if (b.isPresent()) {
            inFlight--;
        }
        return b;
    }

    /** The packet {@code first} starts: the buffers num_buffers announces, looked for at once, then awaited. */
    private Packet rest(UsedBuffer first, Deadline d) {
        List<UsedBuffer> buffers = new ArrayList<>(List.of(first));
        int wanted = 1;
        if (port.mergeable() && first.data().length >= NetHeader.SIZE) {
            int n = NetHeader.parse(first.data()).numBuffers();
            wanted = n >= 1 && n <= MAX_PLAUSIBLE_BUFFERS ? n : 1;
        }
        for (Optional<UsedBuffer> b = Optional.empty(); buffers.size() < wanted; ) {
            b = poll();
            if (b.isEmpty()) {
                break;
            }
            buffers.add(b.get());
        }
        boolean together = buffers.size() == wanted;
        for (int attempt = 0; buffers.size() < wanted && !d.expired(); attempt++) {
            topUp();
            Optional<UsedBuffer> b = poll();
            if (b.isPresent()) {
                buffers.add(b.get());
            } else {
                Deadline.pause(attempt);
            }
        }
        return new Packet(buffers, together);
    }

    /**
     * Injects {@code frames} on the wire and returns the packets they became, failing the probe when fewer
     * arrived within the deadline: with buffers large enough posted throughout, a device has no reason to drop one.
     */
    List<Packet> receive(NetWire wire, List<byte[]> frames) {
        topUp();
        frames.forEach(wire::inject);
        List<Packet> got = await(frames.size());
        Check.that(got.size() == frames.size(), "packets received after injecting " + frames.size()
                + " frames of " + frames.stream().map(f -> f.length).toList() + " bytes on the wire",
                frames.size() + " packets", got.size() + " within the deadline");
        return got;
    }

    /**
     * Injects {@code frame} and then {@code marker}, waits for the marker, and says whether {@code frame} arrived
     * before it. A device delivers the frames of one receive queue in the order they came, so once the marker is
     * in, a frame that is not has been dropped: no wait for something that never comes. Fails the probe when the
     * marker does not arrive within the deadline.
     */
    boolean passes(NetWire wire, byte[] frame, byte[] marker, String what) {
        topUp();
        wire.inject(frame);
        wire.inject(marker);
        boolean seen = false;
        for (;;) {
            List<Packet> got = await(1);
            Check.that(!got.isEmpty(), "packets received after injecting " + what + " and then a marker frame to "
                    + mac(marker), "the marker frame", "nothing more within the deadline");
            byte[] f = got.get(0).frame();
            if (Arrays.equals(f, marker)) {
                return seen;
            }
            seen |= Arrays.equals(f, frame);
        }
    }

    /** An address as aa:bb:cc:dd:ee:ff, for messages. */
    static String mac(byte[] frameOrMac) {
        return HexFormat.ofDelimiter(":").formatHex(frameOrMac, 0, 6);
    }

    /** Frames to the device of the lengths the receive probes use: short, odd, and up to the largest allowed. */
    static List<byte[]> frames(NetPort port, int seed) {
        byte[] to = port.destination();
        List<byte[]> frames = new ArrayList<>();
        for (int length : new int[] {60, 61, 333, 1000, port.maxFrame()}) {
            frames.add(NetPort.frame(to, Math.min(length, port.maxFrame()), seed++));
        }
        return frames;
    }

    /** Removes the first frame equal to {@code got} from {@code expected}; false when none is. */
    static boolean takeMatching(List<byte[]> expected, byte[] got) {
        for (int i = 0; i < expected.size(); i++) {
            if (Arrays.equals(expected.get(i), got)) {
                expected.remove(i);
                return true;
            }
        }
        return false;
    }
}
