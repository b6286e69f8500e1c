package org.virtiotck.harness.inproc;

import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * One buffer the driver made available: the head descriptor index and the segments it chains together,
 * already checked by {@link DeviceQueue#pop()} (readable segments first, every segment in guest memory).
 */
public final class DescriptorChain {
    private final int head;
    private final List<Segment> segments;
    private final SegmentSpan readable;
    private final SegmentSpan writable;

    public DescriptorChain(int head, List<Segment> segments) {
        this.head = head;
        this.segments = List.copyOf(segments);
        this.readable = new SegmentSpan(this.segments.stream().filter(s -> !s.writable()).toList());
        this.writable = new SegmentSpan(this.segments.stream().filter(Segment::writable).toList());
    }

    /** Descriptor table index of the first descriptor; the id reported in the used ring. */
    public int head() {
        return head;
    }

    public List<Segment> segments() {
        return segments;
    }

    public long readableLength() {
        return readable.length();
    }

    public long writableLength() {
        return writable.length();
    }

    /** A fresh reader positioned at the first readable byte. */
    public ChainReader reader(GuestMemory memory) {
        return new ChainReader(memory, readable);
    }

    /** A fresh writer positioned at the first writable byte. */
    public ChainWriter writer(GuestMemory memory) {
        return new ChainWriter(memory, writable);
    }

    @Override
    public String toString() {
        return "DescriptorChain[head=" + head + ", segments=" + segments + "]";
    }
}
