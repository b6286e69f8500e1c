package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.memory.GuestMemory;

/**
 * A packed ring filled by hand, the way a driver would (§2.8.21.1), so device tests do not depend on the driver
 * model's ring code. It also writes things a correct driver never would.
 */
final class TestPackedRing {
    final GuestMemory mem;
    final int size;
    final long desc;
    final long driverEvent;
    final long deviceEvent;
    int next;
    boolean wrap = true;

    /** Descriptor ring at {@code at} (16-byte aligned), then the two event structures. */
    TestPackedRing(GuestMemory mem, long at, int size) {
        this.mem = mem;
        this.size = size;
        this.desc = at;
        this.driverEvent = desc + 16L * size;
        this.deviceEvent = driverEvent + 4;
    }

    void descriptor(int slot, long addr, long len, int id, int flags) {
        long d = desc + 16L * slot;
        mem.putU64(d, addr);
        mem.putU32(d + 8, len);
        mem.putU16(d + 12, id);
        mem.putU16Release(d + 14, flags);
    }

    /** Writes the chain at the next slots, the head's flags last, every descriptor carrying {@code id}. */
    int submit(int id, Buf... bufs) {
        int first = next;
        int headFlags = 0;
        for (int i = 0; i < bufs.length; i++) {
            int flags = (bufs[i].writable() ? F_WRITE : 0) | (i < bufs.length - 1 ? F_NEXT : 0) | availBits(wrap);
            if (i == 0) {
                headFlags = flags;
                descriptor(next, bufs[i].addr(), bufs[i].len(), id, 0);
                mem.putU16(desc + 16L * next + 14, availBits(!wrap));   // not yet available
            } else {
                descriptor(next, bufs[i].addr(), bufs[i].len(), id, flags);
            }
            advance();
        }
        mem.putU16Release(desc + 16L * first + 14, headFlags);
        return first;
    }

    /**
     * Writes {@code bufs} as a packed-format indirect table at {@code table}, then makes one descriptor with
     * INDIRECT and {@code extraFlags} available at the next slot, naming the table. Returns the slot.
     */
    int submitIndirect(int id, long table, int extraFlags, Buf... bufs) {
        for (int i = 0; i < bufs.length; i++) {
            tableEntry(mem, table, i, bufs[i].addr(), bufs[i].len(), bufs[i].writable() ? F_WRITE : 0);
        }
        int slot = next;
        descriptor(slot, table, 16L * bufs.length, id, F_INDIRECT | extraFlags | availBits(wrap));
        advance();
        return slot;
    }

    /** One packed-format table entry: addr, len, id (left 0, reserved in tables), flags. */
    static void tableEntry(GuestMemory mem, long table, int index, long addr, long len, int flags) {
        long e = table + 16L * index;
        mem.putU64(e, addr);
        mem.putU32(e + 8, len);
        mem.putU16(e + 12, 0);
        mem.putU16(e + 14, flags);
    }

    private void advance() {
        if (++next == size) {
            next = 0;
            wrap = !wrap;
        }
    }

    /** Writes the driver event suppression structure: off_wrap, then flags. */
    void driverEvent(int offWrap, int flags) {
        mem.putU16(driverEvent + EVENT_OFF_WRAP, offWrap);
        mem.putU16(driverEvent + EVENT_FLAGS, flags);
    }

    int deviceEventOffWrap() {
        return mem.u16(deviceEvent + EVENT_OFF_WRAP);
    }

    int deviceEventFlags() {
        return mem.u16Acquire(deviceEvent + EVENT_FLAGS);
    }

    int flags(int slot) {
        return mem.u16Acquire(desc + 16L * slot + 14);
    }

    int id(int slot) {
        return mem.u16(desc + 16L * slot + 12);
    }

    long len(int slot) {
        return mem.u32(desc + 16L * slot + 8);
    }
}
