package org.virtiotck.harness.inproc;

import java.util.ArrayDeque;

/**
 * An unbounded first-in first-out run of bytes that one thread fills and another empties: a console's
 * streams in both directions, an rng's log of the bytes it handed out. Chunks are kept as they came and only
 * cut when taken, so appending never copies more than once.
 */
final class ByteFifo implements ByteSupply {
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already taken. */
    private int taken;
    private long size;

    /** Appends a copy of {@code bytes}. */
    synchronized void append(byte[] bytes) {
        if (bytes.length > 0) {
            chunks.addLast(bytes.clone());
            size += bytes.length;
        }
    }

    @Override
    public synchronized long available() {
        return size;
    }

    @Override
    public synchronized byte[] take(int max) {
        byte[] out = new byte[(int) Math.min(Math.max(max, 0), size)];
        int at = 0;
        while (at < out.length) {
            byte[] first = chunks.peekFirst();
            int n = Math.min(first.length - taken, out.length - at);
            System.arraycopy(first, taken, out, at, n);
            at += n;
            taken += n;
            if (taken == first.length) {
                chunks.removeFirst();
                taken = 0;
            }
        }
        size -= out.length;
        return out;
    }

    /** Everything, emptying the fifo. */
    byte[] takeAll() {
        return take(Integer.MAX_VALUE);
    }
}
