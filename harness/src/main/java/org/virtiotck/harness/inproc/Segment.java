package org.virtiotck.harness.inproc;

/** One buffer of a descriptor chain: guest-physical address, length, and whether the device may write it. */
public record Segment(long addr, long len, boolean writable) {

    public Segment {
        // A descriptor's len field is 32 bits.
        if (len < 0 || len > 0xffff_ffffL) {
            throw new IllegalArgumentException("segment length " + len + " is outside 0..2^32-1");
        }
    }
}
