package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Collects the segments of one chain while a ring walk reads them, and applies the rules that hold for every
 * chain whatever its layout and whether its descriptors are direct or in an indirect table: readable segments
 * before writable ones (§2.7.4.2, §2.8.17), every buffer inside guest memory, and at most 2^32 bytes in all
 * (§2.7.5.2). The walk adds the context (which descriptor of which chain) to the problem it is told about.
 */
final class ChainBuilder {
    /** A driver must not make a chain longer than 2^32 bytes in total. */
    static final long MAX_CHAIN_BYTES = 1L << 32;

    private final GuestMemory memory;
    private final List<Segment> segments = new ArrayList<>();
    private boolean sawWritable;
    private long total;

    ChainBuilder(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Appends one buffer, or returns why it cannot belong to the chain and appends nothing. Returning the problem
     * instead of throwing keeps the walk's hot path free of message formatting.
     */
    String add(long addr, long len, boolean writable) {
        if (sawWritable && !writable) {
            return "is device-readable after a device-writable one";
        }
        if (!memory.contains(addr, len)) {
            return String.format("has buffer [0x%x, +%d), which is not inside guest memory [0x%x, 0x%x)", addr, len,
                    memory.base(), memory.base() + memory.size());
        }
        if (total + len > MAX_CHAIN_BYTES) {
            return String.format("brings the chain to %d bytes, more than 2^32", total + len);
        }
        total += len;
        sawWritable |= writable;
        segments.add(new Segment(addr, len, writable));
        return null;
    }

    List<Segment> segments() {
        return segments;
    }
}
