package org.virtiotck.harness.inproc;

import java.util.List;

/**
 * Same-direction segments of a chain seen as one run of bytes, so that readers and writers can address
 * "byte n of the readable (or writable) part" without caring where the driver split it (§2.7.4: the device
 * must not assume any particular arrangement of descriptors).
 */
final class SegmentSpan {

    /** Receives one piece of a split access: where it lies in guest memory and in the caller's array. */
    @FunctionalInterface
    interface Piece {
        void access(long gpa, int arrayOffset, int length);
    }

    private final List<Segment> segments;
    private final long length;

    SegmentSpan(List<Segment> segments) {
        this.segments = segments;
        long total = 0;
        for (Segment s : segments) {        // a loop, not a stream: this runs for every request
            total += s.len();
        }
        this.length = total;
    }

    long length() {
        return length;
    }

    /** Cuts [offset, offset + count) into per-segment pieces, in order. The caller keeps the range inside. */
    void forEachPiece(long offset, int count, Piece piece) {
        long skip = offset;
        int done = 0;
        for (Segment s : segments) {
            if (done == count) {
                return;
            }
            if (skip >= s.len()) {
                skip -= s.len();
                continue;
            }
            int n = (int) Math.min(s.len() - skip, count - done);
            piece.access(s.addr() + skip, done, n);
            done += n;
            skip = 0;
        }
    }
}
