package org.virtiotck.harness.inproc;

import java.util.Objects;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Reads the device-readable bytes of a chain front to back, across descriptor boundaries.
 * A read asking for more than {@link #remaining()} reads nothing and returns false.
 */
public final class ChainReader {
    private final GuestMemory memory;
    private final SegmentSpan span;
    private long position;

    ChainReader(GuestMemory memory, SegmentSpan span) {
        this.memory = memory;
        this.span = span;
    }

    public long remaining() {
        return span.length() - position;
    }

    /** Fills all of {@code dst}, or returns false and consumes nothing when too few bytes remain. */
    public boolean read(byte[] dst) {
        return read(dst, 0, dst.length);
    }

    /** Fills {@code dst[offset, offset + length)}, or returns false and consumes nothing when too few bytes remain. */
    public boolean read(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length > remaining()) {
            return false;
        }
        span.forEachPiece(position, length, (gpa, at, n) -> memory.read(gpa, dst, offset + at, n));
        position += length;
        return true;
    }
}
