package org.virtiotck.driver.ring.split;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The three parts of a split virtqueue (§2.7) as plain memory: reads and writes any descriptor, ring entry,
 * index, flag or event field exactly as asked, with no validation, so that malformed-input probes and fuzzers
 * can build what a well-behaved driver never would. Ring positions are free-running indices taken modulo the
 * size, as the ring itself takes them; a descriptor index is used as given (only guest memory bounds apply).
 */
public final class RawSplitRing {
    private final GuestMemory mem;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;

    public RawSplitRing(GuestMemory mem, int size, long desc, long avail, long used) {
        this.mem = mem;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
    }

    /** Zeroed, aligned areas for a ring of {@code size} entries; the size itself is not checked. */
    public static RawSplitRing allocate(Allocator alloc, int size) {
        return new RawSplitRing(alloc.memory(), size, alloc.ring(DESC_SIZE * size, DESC_ALIGN),
                alloc.ring(availBytes(size), AVAIL_ALIGN), alloc.ring(usedBytes(size), USED_ALIGN));
    }

    public GuestMemory memory() {
        return mem;
    }

    public int size() {
        return size;
    }

    public long descriptorArea() {
        return desc;
    }

    public long driverArea() {
        return avail;
    }

    public long deviceArea() {
        return used;
    }

    public long descriptorAddress(int index) {
        return desc + (long) DESC_SIZE * index;
    }

    public void descriptor(int index, SplitDescriptor d) {
        d.write(mem, descriptorAddress(index));
    }

    public SplitDescriptor descriptor(int index) {
        return SplitDescriptor.read(mem, descriptorAddress(index));
    }

    /** Writes avail ring entry {@code position mod size}. */
    public void availEntry(int position, int head) {
        mem.putU16(avail + RING_ENTRIES + 2L * Math.floorMod(position, size), head);
    }

    public int availEntry(int position) {
        return mem.u16(avail + RING_ENTRIES + 2L * Math.floorMod(position, size));
    }

    /** Release store: the entries and descriptors written before are visible to the device once idx is. */
    public void publishAvailIdx(int idx) {
        mem.putU16Release(avail + RING_IDX, idx);
    }

    public int availIdx() {
        return mem.u16(avail + RING_IDX);
    }

    public void availFlags(int flags) {
        mem.putU16Release(avail + RING_FLAGS, flags);
    }

    public int availFlags() {
        return mem.u16(avail + RING_FLAGS);
    }

    public void usedEvent(int idx) {
        mem.putU16Release(avail + usedEventOffset(size), idx);
    }

    public int usedEvent() {
        return mem.u16(avail + usedEventOffset(size));
    }

    /** Acquire load: the used elements the device wrote before publishing idx are visible after it. */
    public int usedIdx() {
        return mem.u16Acquire(used + RING_IDX);
    }

    public int usedFlags() {
        return mem.u16Acquire(used + RING_FLAGS);
    }

    public int availEvent() {
        return mem.u16Acquire(used + availEventOffset(size));
    }

    /** Used ring entry {@code position mod size}. */
    public UsedElement usedElement(int position) {
        long at = used + RING_ENTRIES + (long) USED_ELEM_SIZE * Math.floorMod(position, size);
        return new UsedElement(mem.u32(at), mem.u32(at + 4));
    }
}
