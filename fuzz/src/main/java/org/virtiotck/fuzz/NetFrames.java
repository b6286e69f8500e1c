package org.virtiotck.fuzz;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;

/**
 * The ethernet frames net requests carry: broadcast (every device passes it to its driver with no filter set),
 * from a locally administered address, of the IEEE local experimental ethertype (no stack reads it as a
 * protocol), and tagged with a magic word and a sequence number, so that a frame a target loops back can be told
 * from other traffic and matched with the frame sent. The rest of the payload is pseudo-random from the number.
 */
final class NetFrames {
    static final int ETH_HEADER = 14;
    private static final byte[] SOURCE = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x66};
    private static final int ETHERTYPE = 0x88b5;
    private static final int MAGIC = 0x7674_636b;
    /** Bytes of header, magic and sequence number; every frame has at least these. */
    static final int TAGGED = ETH_HEADER + 4 + 8;

    private NetFrames() {
    }

    /** Frame {@code seq} of {@code length} bytes (at least {@link #TAGGED}). */
    static byte[] frame(long seq, int length) {
        byte[] f = new byte[length];
        new Random(seq * 0x9E37_79B9L).nextBytes(f);
        ByteBuffer b = ByteBuffer.wrap(f);
        for (int i = 0; i < 6; i++) {
            b.put(i, (byte) 0xff);
        }
        b.put(6, SOURCE).putShort(12, (short) ETHERTYPE).putInt(ETH_HEADER, MAGIC).putLong(ETH_HEADER + 4, seq);
        return f;
    }

    /** The sequence number of a frame built here, whatever addresses it carries now; empty for other frames. */
    static OptionalLong seq(byte[] frame) {
        if (frame.length < TAGGED) {
            return OptionalLong.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        if ((b.getShort(12) & 0xffff) != ETHERTYPE || b.getInt(ETH_HEADER) != MAGIC) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(b.getLong(ETH_HEADER + 4));
    }

    /** Where {@code got} first differs from {@code sent} from byte {@code from} on (lengths included), or -1. */
    static int differs(byte[] sent, byte[] got, int from) {
        int at = Arrays.mismatch(sent, Math.min(from, sent.length), sent.length, got, Math.min(from, got.length),
                got.length);
        return at < 0 ? -1 : from + at;
    }
}
