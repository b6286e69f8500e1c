package org.virtiotck.harness.inproc;

import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * One buffer the driver made available: the head descriptor index and the segments it chains together, those of
 * an indirect table included, already checked by {@link DeviceQueue#pop()} (readable segments first, every
 * segment in guest memory).
 */
public final class DescriptorChain {
    private final int head;
    private final List<Segment> segments;
    private final int descriptorCount;
    private final SegmentSpan readable;
    private final SegmentSpan writable;

    /** A chain that took one ring descriptor per segment. */
    public DescriptorChain(int head, List<Segment> segments) {
        this(head, segments, segments.size());
    }

    /**
     * A chain that took {@code descriptorCount} descriptors of the ring: one per segment for plain chains, fewer
     * with indirect descriptors (one for a whole table). {@code head} is the id to report as used.
     */
    public DescriptorChain(int head, List<Segment> segments, int descriptorCount) {
        if (descriptorCount < Math.min(1, segments.size()) || descriptorCount > segments.size()) {
            throw new IllegalArgumentException("a chain of " + segments.size() + " segments cannot take "
                    + descriptorCount + " descriptors");
        }
        this.head = head;
        this.segments = List.copyOf(segments);
        this.descriptorCount = descriptorCount;
        // Readable segments come first (the queue checked it), so one cut splits the two parts.
        int firstWritable = 0;
        while (firstWritable < this.segments.size() && !this.segments.get(firstWritable).writable()) {
            firstWritable++;
        }
        this.readable = new SegmentSpan(this.segments.subList(0, firstWritable));
        this.writable = new SegmentSpan(this.segments.subList(firstWritable, this.segments.size()));
    }

    /**
     * The id reported when the chain is used: the descriptor table index of the first descriptor (split ring),
     * or the buffer id of the last descriptor (packed ring).
     */
    public int head() {
        return head;
    }

    /** Ring descriptors the chain occupies; a packed ring skips this many slots when it is used. */
    public int descriptorCount() {
        return descriptorCount;
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
