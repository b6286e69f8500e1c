package org.virtiotck.harness.inproc;

import org.virtiotck.driver.memory.GuestMemory;

/**
 * A split ring laid out and filled by hand, the way a driver would (§2.7), so device tests do not depend on
 * the driver model's ring code. It also writes things a correct driver never would.
 */
final class TestRing {
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;

    final GuestMemory mem;
    final int size;
    final long desc;
    final long avail;
    final long used;
    private int availIdx;
    private int nextDesc;

    /** Lays the three parts out back to back from {@code at}, which must be 16-byte aligned. */
    TestRing(GuestMemory mem, long at, int size) {
        this.mem = mem;
        this.size = size;
        this.desc = at;
        this.avail = desc + 16L * size;
        this.used = (avail + 6 + 2L * size + 3) & ~3L;
    }

    /** First address after the ring. */
    long end() {
        return used + 6 + 8L * size;
    }

    void descriptor(int index, long addr, long len, int flags, int next) {
        long d = desc + 16L * index;
        mem.putU64(d, addr);
        mem.putU32(d + 8, len);
        mem.putU16(d + 12, flags);
        mem.putU16(d + 14, next);
    }

    /** Chains the buffers through the next free descriptors (wrapping), publishes the head and returns it. */
    int submit(Buf... bufs) {
        int head = nextDesc;
        for (int i = 0; i < bufs.length; i++) {
            int index = (nextDesc + i) % size;
            int next = (index + 1) % size;
            int flags = (bufs[i].writable() ? F_WRITE : 0) | (i < bufs.length - 1 ? F_NEXT : 0);
            descriptor(index, bufs[i].addr(), bufs[i].len(), flags, i < bufs.length - 1 ? next : 0);
        }
        nextDesc = (nextDesc + bufs.length) % size;
        publish(head);
        return head;
    }

    /** Puts {@code head} in the next available slot and bumps the available index. */
    void publish(int head) {
        mem.putU16(avail + 4 + 2L * (availIdx % size), head);
        setAvailIdx(availIdx + 1);
    }

    void setAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        mem.putU16Release(avail + 2, availIdx);
    }

    void setAvailFlags(int flags) {
        mem.putU16(avail, flags);
    }

    /** used_event, after the available ring entries (§2.7.7). */
    void setUsedEvent(int idx) {
        mem.putU16(avail + 4 + 2L * size, idx);
    }

    /** avail_event, after the used ring elements (§2.7.10). */
    int availEvent() {
        return mem.u16Acquire(used + 4 + 8L * size);
    }

    int usedFlags() {
        return mem.u16(used);
    }

    /**
     * Writes {@code bufs} as a split-format indirect table at {@code table}, entry i chaining to i + 1, and
     * returns its length in bytes.
     */
    static long table(GuestMemory mem, long table, Buf... bufs) {
        for (int i = 0; i < bufs.length; i++) {
            int flags = (bufs[i].writable() ? F_WRITE : 0) | (i < bufs.length - 1 ? F_NEXT : 0);
            tableEntry(mem, table, i, bufs[i].addr(), bufs[i].len(), flags, i < bufs.length - 1 ? i + 1 : 0);
        }
        return 16L * bufs.length;
    }

    /** One split-format table entry: addr, len, flags, next. */
    static void tableEntry(GuestMemory mem, long table, int index, long addr, long len, int flags, int next) {
        long e = table + 16L * index;
        mem.putU64(e, addr);
        mem.putU32(e + 8, len);
        mem.putU16(e + 12, flags);
        mem.putU16(e + 14, next);
    }

    int usedIdx() {
        return mem.u16Acquire(used + 2);
    }

    /** The used element for the n-th completion (free-running count). */
    long usedId(int n) {
        return mem.u32(used + 4 + 8L * (n % size));
    }

    long usedLen(int n) {
        return mem.u32(used + 4 + 8L * (n % size) + 4);
    }
}
