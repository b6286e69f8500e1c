package org.virtiotck.harness.vhostuser.backend;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.memory.GuestMemoryException;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.SharedMapping;
import org.virtiotck.harness.vhostuser.protocol.MemoryRegion;

/**
 * The guest memory a back-end sees after SET_MEM_TABLE: each region's descriptor mapped from offset 0 over
 * {@code mmapOffset + size} bytes, the region found at {@code mmapOffset}. Regions may share a descriptor and
 * each is mapped on its own. Accesses are by guest-physical address; one that crosses from one region into the
 * next guest-physically adjacent one is split, any other outside the regions is a {@link GuestMemoryException}.
 * Each region is a {@link ByteBufferGuestMemory}, so ring indices keep their one-access acquire/release semantics.
 */
final class MappedGuestMemory implements GuestMemory, AutoCloseable {
    private record Mapped(MemoryRegion region, SharedMapping mapping, ByteBufferGuestMemory view) {
    }

    private final List<Mapped> regions = new ArrayList<>();
    private final long base;
    private final long end;

    /** Maps every region of the table; the descriptors stay the caller's (it may close them once this returns). */
    MappedGuestMemory(List<MemoryRegion> table, List<OwnedFd> fds) {
        if (table.size() != fds.size() || table.isEmpty()) {
            throw new IllegalArgumentException(table.size() + " regions with " + fds.size() + " descriptors");
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        try {
            for (int i = 0; i < table.size(); i++) {
                MemoryRegion r = table.get(i);
                if (r.size() <= 0 || r.mmapOffset() < 0 || r.mmapOffset() + r.size() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("region " + r + " cannot be mapped here");
                }
                SharedMapping m = SharedMapping.of(fds.get(i), r.mmapOffset() + r.size());
                regions.add(new Mapped(r, m, new ByteBufferGuestMemory(
                        m.buffer().slice((int) r.mmapOffset(), (int) r.size()), r.guestAddress())));
                lo = Math.min(lo, r.guestAddress());
                hi = Math.max(hi, r.guestAddress() + r.size());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.base = lo;
        this.end = hi;
    }

    /** The guest address of the frontend's user address {@code uva}, or -1 when no region holds it. */
    long guestAddress(long uva) {
        for (Mapped m : regions) {
            if (m.region.containsUser(uva, 1)) {
                return m.region.guestAddress() + (uva - m.region.userAddress());
            }
        }
        return -1;
    }

    private GuestMemory at(long gpa, long length) {
        for (Mapped m : regions) {
            if (m.region.containsGuest(gpa, length)) {
                return m.view;
            }
        }
        throw new GuestMemoryException(gpa, length, base, size());
    }

    /** The region holding {@code gpa} and how many of {@code length} bytes from there it holds. */
    private GuestMemory first(long gpa, long length, long[] chunk) {
        for (Mapped m : regions) {
            if (m.region.containsGuest(gpa, 1)) {
                chunk[0] = Math.min(length, m.region.guestAddress() + m.region.size() - gpa);
                return m.view;
            }
        }
        throw new GuestMemoryException(gpa, length, base, size());
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return end - base;
    }

    @Override
    public boolean contains(long gpa, long length) {
        long[] chunk = new long[1];
        long at = gpa;
        long left = length;
        while (left > 0) {
            try {
                first(at, left, chunk);
            } catch (GuestMemoryException e) {
                return false;
            }
            at += chunk[0];
            left -= chunk[0];
        }
        return length >= 0;
    }

    @Override
    public int u8(long gpa) {
        return at(gpa, 1).u8(gpa);
    }

    @Override
    public int u16(long gpa) {
        return at(gpa, 2).u16(gpa);
    }

    @Override
    public long u32(long gpa) {
        return at(gpa, 4).u32(gpa);
    }

    @Override
    public long u64(long gpa) {
        return at(gpa, 8).u64(gpa);
    }

    @Override
    public void putU8(long gpa, int value) {
        at(gpa, 1).putU8(gpa, value);
    }

    @Override
    public void putU16(long gpa, int value) {
        at(gpa, 2).putU16(gpa, value);
    }

    @Override
    public void putU32(long gpa, long value) {
        at(gpa, 4).putU32(gpa, value);
    }

    @Override
    public void putU64(long gpa, long value) {
        at(gpa, 8).putU64(gpa, value);
    }

    @Override
    public int u16Acquire(long gpa) {
        return at(gpa, 2).u16Acquire(gpa);
    }

    @Override
    public void putU16Release(long gpa, int value) {
        at(gpa, 2).putU16Release(gpa, value);
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) {
        if (!contains(gpa, length)) {
            throw new GuestMemoryException(gpa, length, base, size());
        }
        long[] chunk = new long[1];
        for (int done = 0; done < length; done += (int) chunk[0]) {
            first(gpa + done, length - done, chunk).read(gpa + done, dst, offset + done, (int) chunk[0]);
        }
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) {
        if (!contains(gpa, length)) {
            throw new GuestMemoryException(gpa, length, base, size());
        }
        long[] chunk = new long[1];
        for (int done = 0; done < length; done += (int) chunk[0]) {
            first(gpa + done, length - done, chunk).write(gpa + done, src, offset + done, (int) chunk[0]);
        }
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        if (!contains(gpa, length)) {
            throw new GuestMemoryException(gpa, length, base, size());
        }
        long[] chunk = new long[1];
        for (long done = 0; done < length; done += chunk[0]) {
            first(gpa + done, length - done, chunk).fill(gpa + done, chunk[0], value);
        }
    }

    /** Unmaps every region; no access may follow. */
    @Override
    public void close() {
        for (Mapped m : regions) {
            m.mapping.close();
        }
    }
}
