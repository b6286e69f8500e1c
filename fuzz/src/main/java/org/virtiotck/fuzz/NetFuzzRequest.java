package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.net.NetHeader;

/**
 * One request on a net device's first queue pair (VIRTIO 1.2 §5.1.6): a transmitted frame of
 * {@code frameLength} bytes behind its virtio_net_hdr, or a receive buffer for any frame up to
 * {@link #MAX_FRAME} bytes (into which, where the target has a wire, a frame of {@code frameLength} bytes is
 * sent). {@code cuts} cut the chain's bytes (header and frame, or the whole receive buffer) into descriptors.
 */
public record NetFuzzRequest(Direction direction, int frameLength, List<Integer> cuts, boolean indirect)
        implements FuzzRequest {
    /** The shortest ethernet frame without its check sequence: shorter ones some devices pad. */
    public static final int MIN_FRAME = 60;
    /** 1500 bytes of payload and the ethernet header: the largest frame without MTU (§5.1.6.3). */
    public static final int MAX_FRAME = 1514;
    /** A receive buffer for any frame without MRG_RXBUF, as §5.1.6.3.1 recommends. */
    public static final int RX_BUFFER = NetHeader.SIZE + MAX_FRAME;

    public NetFuzzRequest {
        if (frameLength < MIN_FRAME || frameLength > MAX_FRAME) {
            throw new IllegalArgumentException("frame length " + frameLength + " is outside " + MIN_FRAME + ".."
                    + MAX_FRAME);
        }
        cuts = Cuts.check(cuts, chainBytes(direction, frameLength));
    }

    /** Bytes of the chain: header and frame for a transmit, the receive buffer for a receive. */
    public int chainBytes() {
        return chainBytes(direction, frameLength);
    }

    @Override
    public int descriptors() {
        return Cuts.pieces(cuts, chainBytes());
    }

    static int chainBytes(Direction direction, int frameLength) {
        return direction == Direction.TRANSMIT ? NetHeader.SIZE + frameLength : RX_BUFFER;
    }

    @Override
    public String shape() {
        return "net " + direction + ", " + descriptors() + " descriptors";
    }
}
