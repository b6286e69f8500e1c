package org.virtiotck.driver.ring.split;

import org.virtiotck.driver.memory.GuestMemory;

/** A split-ring descriptor as it lies in memory (§2.7.5); split indirect tables use the same format (§2.7.5.3). */
public record SplitDescriptor(long addr, long len, int flags, int next) {

    public static SplitDescriptor read(GuestMemory mem, long at) {
        return new SplitDescriptor(mem.u64(at), mem.u32(at + 8), mem.u16(at + 12), mem.u16(at + 14));
    }

    public void write(GuestMemory mem, long at) {
        mem.putU64(at, addr);
        mem.putU32(at + 8, len & 0xffffffffL);
        mem.putU16(at + 12, flags & 0xffff);
        mem.putU16(at + 14, next & 0xffff);
    }

    @Override
    public String toString() {
        return String.format("addr 0x%x len %d flags 0x%x next %d", addr, len, flags, next);
    }
}
