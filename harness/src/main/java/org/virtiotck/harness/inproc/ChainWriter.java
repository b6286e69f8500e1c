package org.virtiotck.harness.inproc;

import org.virtiotck.driver.memory.GuestMemory;

/**
 * Writes the device-writable bytes of a chain, across descriptor boundaries: sequentially with
 * {@link #write}, or at a chosen offset with {@link #writeAt}. A write that does not fit entirely writes
 * nothing and returns false, so a caller never leaves a half-written field behind.
 */
public final class ChainWriter {
    private final GuestMemory memory;
    private final SegmentSpan span;
    private long written;

    ChainWriter(GuestMemory memory, SegmentSpan span) {
        this.memory = memory;
        this.span = span;
    }

    /** Total writable bytes of the chain. */
    public long length() {
        return span.length();
    }

    /** Bytes placed by {@link #write} so far (the sequential cursor); {@link #writeAt} does not count. */
    public long written() {
        return written;
    }

    /** Writes {@code src} at the cursor and advances it, or returns false and writes nothing. */
    public boolean write(byte[] src) {
        if (!writeAt(written, src)) {
            return false;
        }
        written += src.length;
        return true;
    }

    /**
     * Writes {@code src} starting {@code offsetInWritable} bytes into the writable part, without moving the
     * cursor, or returns false and writes nothing when the range is not inside the writable part.
     */
    public boolean writeAt(long offsetInWritable, byte[] src) {
        if (offsetInWritable < 0 || offsetInWritable > span.length() - src.length) {
            return false;
        }
        span.forEachPiece(offsetInWritable, src.length, (gpa, at, n) -> memory.write(gpa, src, at, n));
        return true;
    }
}
