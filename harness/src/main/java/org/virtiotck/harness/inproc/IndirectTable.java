package org.virtiotck.harness.inproc;

import java.util.function.Supplier;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.driver.ring.split.SplitLayout;

/**
 * An indirect descriptor table (VIRTIO_F_INDIRECT_DESC; split §2.7.5.3, packed §2.8.7): {@code len} bytes at
 * {@code addr}, named by one ring descriptor, holding 16-byte descriptors in the format of the ring's layout.
 * The device only reads it. Every loop over it is bounded by its entry count, so a hostile table cannot make
 * the device spin, and every problem is a {@link MalformedChainException} naming the raw values.
 */
final class IndirectTable {
    static final int ENTRY_BYTES = 16;

    private final GuestMemory memory;
    private final long addr;
    private final int entries;
    private final Supplier<String> where;

    private IndirectTable(GuestMemory memory, long addr, int entries, Supplier<String> where) {
        this.memory = memory;
        this.addr = addr;
        this.entries = entries;
        this.where = where;
    }

    /**
     * The table named by a descriptor with {@code addr} and {@code len}. The spec sizes the table as len / 16
     * entries; a length of 0 or one that is not a multiple of 16 cannot be such a table, so it is refused.
     *
     * @param where names the referring descriptor in messages, e.g. "descriptor 0 of the chain at head 3"
     */
    static IndirectTable at(GuestMemory memory, long addr, long len, Supplier<String> where) {
        if (len == 0 || len % ENTRY_BYTES != 0) {
            throw MalformedChainException.of("%s refers to an indirect table at 0x%x of length %d, which is not a "
                    + "positive multiple of %d", where.get(), addr, len, ENTRY_BYTES);
        }
        if (!memory.contains(addr, len)) {
            throw MalformedChainException.of("%s refers to an indirect table [0x%x, +%d) that is not inside guest "
                    + "memory [0x%x, 0x%x)", where.get(), addr, len, memory.base(), memory.base() + memory.size());
        }
        // len is a 32-bit field, so at most 2^28 entries.
        return new IndirectTable(memory, addr, (int) (len / ENTRY_BYTES), where);
    }

    /**
     * Split format (addr, len, flags, next): the chain starts at entry 0 and follows {@code next} while NEXT is
     * set (§2.7.5.3). A nested table is forbidden to the driver (§2.7.5.3.1) and has no meaning here, so it is
     * malformed; so is a {@code next} outside the table, and a walk longer than the table (it must loop).
     */
    void readSplit(ChainBuilder chain) {
        int index = 0;
        for (int visited = 0; ; visited++) {
            if (visited == entries) {
                throw MalformedChainException.of("%s: the chain in the indirect table at 0x%x visits more than its "
                        + "%d entries (a loop)", where.get(), addr, entries);
            }
            long e = entry(index);
            int flags = memory.u16(e + 12);
            int next = memory.u16(e + 14);
            if ((flags & SplitLayout.F_INDIRECT) != 0) {
                throw MalformedChainException.of("%s: entry %d of the indirect table at 0x%x has INDIRECT set "
                        + "(flags 0x%x), a table inside a table", where.get(), index, addr, flags);
            }
            add(chain, index, flags, (flags & SplitLayout.F_WRITE) != 0);
            if ((flags & SplitLayout.F_NEXT) == 0) {
                return;
            }
            if (next >= entries) {
                throw MalformedChainException.of("%s: entry %d of the indirect table at 0x%x has next %d, the table "
                        + "has %d entries", where.get(), index, addr, next, entries);
            }
            index = next;
        }
    }

    /**
     * Packed format (addr, len, id, flags): every entry, in table order (§2.8.7). WRITE is the only flag that
     * means anything there; the id and the other flags are reserved and the device ignores them, as §2.8.7 says,
     * so a NEXT or INDIRECT bit in a packed table is not malformed.
     */
    void readPacked(ChainBuilder chain) {
        for (int i = 0; i < entries; i++) {
            int flags = memory.u16(entry(i) + PackedLayout.DESC_FLAGS);
            add(chain, i, flags, (flags & PackedLayout.F_WRITE) != 0);
        }
    }

    private void add(ChainBuilder chain, int index, int flags, boolean writable) {
        long e = entry(index);
        String problem = chain.add(memory.u64(e), memory.u32(e + 8), writable);
        if (problem != null) {
            throw MalformedChainException.of("%s: entry %d of the indirect table at 0x%x %s (flags 0x%x)",
                    where.get(), index, addr, problem, flags);
        }
    }

    private long entry(int index) {
        return addr + (long) ENTRY_BYTES * index;
    }
}
