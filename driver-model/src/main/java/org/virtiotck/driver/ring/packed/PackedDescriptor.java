package org.virtiotck.driver.ring.packed;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.memory.GuestMemory;

/**
 * A packed-ring descriptor as it lies in memory (§2.8.13); packed indirect tables use the same format (§2.8.7).
 * Reading takes the flags first with acquire, so the other fields are at least as new as the flags that made
 * the descriptor available or used.
 */
public record PackedDescriptor(long addr, long len, int id, int flags) {

    public static PackedDescriptor read(GuestMemory mem, long at) {
        int flags = mem.u16Acquire(at + DESC_FLAGS);
        return new PackedDescriptor(mem.u64(at + DESC_ADDR), mem.u32(at + DESC_LEN), mem.u16(at + DESC_ID), flags);
    }

    /** Writes all four fields with plain stores. */
    public void write(GuestMemory mem, long at) {
        writeAllButFlags(mem, at);
        mem.putU16(at + DESC_FLAGS, flags & 0xffff);
    }

    /** Writes addr, len and id, then the flags with a release store: the descriptor turns over whole (§2.8.21.1). */
    public void publish(GuestMemory mem, long at) {
        writeAllButFlags(mem, at);
        mem.putU16Release(at + DESC_FLAGS, flags & 0xffff);
    }

    private void writeAllButFlags(GuestMemory mem, long at) {
        mem.putU64(at + DESC_ADDR, addr);
        mem.putU32(at + DESC_LEN, len & 0xffffffffL);
        mem.putU16(at + DESC_ID, id & 0xffff);
    }

    @Override
    public String toString() {
        return String.format("addr 0x%x len %d id %d flags 0x%x", addr, len, id, flags);
    }
}
