package org.virtiotck.driver.ring;

import org.virtiotck.driver.memory.Allocator;

/**
 * Indirect descriptor tables for a queue, one per buffer id, laid out once when the queue is: a table belongs to
 * the chain in flight under its id, so no allocation happens per request and none outlives the queue. Tables are
 * ring structures (zeroed, never device-writable); the ring code compares them with what it wrote.
 */
public final class IndirectTables {
    /** 16 bytes per entry in both layouts (§2.7.5.3, §2.8.7). */
    public static final int ENTRY_SIZE = 16;

    private final long base;
    private final int entries;

    private IndirectTables(long base, int entries) {
        this.base = base;
        this.entries = entries;
    }

    /** Tables of {@code entries} descriptors for ids 0..count-1. */
    public static IndirectTables allocate(Allocator alloc, int count, int entries) {
        return new IndirectTables(alloc.ring(count * entries * ENTRY_SIZE, ENTRY_SIZE), entries);
    }

    /** Descriptors one table holds: the longest chain that can go indirect. */
    public int entries() {
        return entries;
    }

    public long address(int id) {
        return base + (long) id * entries * ENTRY_SIZE;
    }
}
