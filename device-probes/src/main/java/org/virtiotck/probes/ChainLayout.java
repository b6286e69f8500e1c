package org.virtiotck.probes;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Virtqueue;

/**
 * How a probe cuts one buffer's bytes into descriptors. A device must give the same result whichever it is
 * (§2.7.4), so stream probes (console, rng) rotate through them and compare the bytes end to end.
 */
public enum ChainLayout {
    /** One descriptor holds the whole buffer. */
    ONE_DESCRIPTOR,
    /** Up to three descriptors in the ring: one byte, then a third and two thirds of the rest. */
    SPLIT,
    /** The same pieces in an indirect table; needs INDIRECT_DESC. */
    INDIRECT;

    /** The layouts {@code q} can carry: all of them with INDIRECT_DESC, the direct ones otherwise. */
    public static List<ChainLayout> usableOn(Virtqueue q) {
        return q.features().indirect() ? List.of(values()) : List.of(ONE_DESCRIPTOR, SPLIT);
    }

    /** Lengths of the descriptors for {@code total} bytes, each at least 1. */
    public int[] pieces(int total) {
        if (this == ONE_DESCRIPTOR || total < 2) {
            return new int[] {total};
        }
        if (total == 2) {
            return new int[] {1, 1};
        }
        int rest = total - 1;
        int second = Math.max(1, rest / 3);
        return new int[] {1, second, rest - second};
    }

    /** Device-readable buffers holding {@code data}, cut as this layout says. */
    public List<Buffer> readable(Allocator alloc, byte[] data) {
        List<Buffer> out = new ArrayList<>();
        int at = 0;
        for (int n : pieces(data.length)) {
            byte[] piece = new byte[n];
            System.arraycopy(data, at, piece, 0, n);
            out.add(alloc.readable(piece));
            at += n;
        }
        return out;
    }

    /** Device-writable buffers of {@code length} bytes in all, cut as this layout says. */
    public List<Buffer> writable(Allocator alloc, int length) {
        List<Buffer> out = new ArrayList<>();
        for (int n : pieces(length)) {
            out.add(alloc.writable(n));
        }
        return out;
    }

    /** Makes the chain available on {@code q}, through a table exactly when this layout is INDIRECT. */
    public Chain add(Virtqueue q, List<Buffer> readable, List<Buffer> writable) {
        return q.add(readable, writable, this == INDIRECT);
    }
}
