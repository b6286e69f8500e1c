package org.virtiotck.harness.vhostuser;

import java.util.List;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.DelegatingGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.memory.GuestMemoryException;
import org.virtiotck.harness.vhostuser.linux.Memfd;
import org.virtiotck.harness.vhostuser.linux.OwnedFd;
import org.virtiotck.harness.vhostuser.linux.SharedMapping;
import org.virtiotck.harness.vhostuser.protocol.MemoryRegion;

/**
 * Guest memory in one memfd shared with a vhost-user back-end, announced to it as two regions so that address
 * translation bugs show. Guest-physically the regions are contiguous from {@code base}; in the file the second
 * starts half-way (a non-zero mmap offset); their user addresses are neither the guest addresses nor in the
 * same order (the second region's user address is below the first's). A back-end that confuses guest and user
 * addresses, ignores the mmap offset or assumes one region reads the wrong bytes.
 *
 * <p>Accesses go through a {@link ByteBufferGuestMemory} over the mapping, so ring indices get the same
 * one-access acquire/release semantics as in-process memory. After {@link #close()} every access throws
 * instead of touching unmapped memory.
 */
public final class MemfdGuestMemory extends DelegatingGuestMemory implements AutoCloseable {
    /** Where the regions appear in the "user" address space we announce; far from any guest address. */
    static final long USER_BASE = 0x7f10_0000_0000L;
    private static final long USER_GAP = 0x1_0000_0000L;
    private static final int PAGE = 4096;

    private final Memfd memfd;
    private final SharedMapping mapping;
    private final ByteBufferGuestMemory view;
    private final List<MemoryRegion> regions;
    private boolean open = true;

    private MemfdGuestMemory(Memfd memfd, SharedMapping mapping, long base) {
        this.memfd = memfd;
        this.mapping = mapping;
        this.view = new ByteBufferGuestMemory(mapping.buffer(), base);
        long half = memfd.size() / 2;
        this.regions = List.of(new MemoryRegion(base, half, USER_BASE + USER_GAP, 0),
                new MemoryRegion(base + half, half, USER_BASE, half));
    }

    /** {@code size} bytes of zeroed guest memory at guest-physical {@code base}, a multiple of two pages. */
    public static MemfdGuestMemory create(long base, int size) {
        if (size <= 0 || size % (2 * PAGE) != 0) {
            throw new IllegalArgumentException("guest memory size " + size + " is not a positive multiple of " + 2 * PAGE);
        }
        Memfd memfd = Memfd.create("virtio-tck-guest", size);
        try {
            return new MemfdGuestMemory(memfd, memfd.map(), base);
        } catch (RuntimeException e) {
            memfd.close();
            throw e;
        }
    }

    /** The regions to announce with SET_MEM_TABLE, each sent with {@link #fd()}. */
    public List<MemoryRegion> regions() {
        return regions;
    }

    public OwnedFd fd() {
        return memfd.fd();
    }

    /**
     * The user address of {@code [gpa, gpa+length)}, which must lie in one region: ring addresses in
     * SET_VRING_ADDR are user addresses, and a ring split over two regions has no single one.
     */
    public long userAddress(long gpa, long length) {
        for (MemoryRegion r : regions) {
            if (r.containsGuest(gpa, length)) {
                return r.userAddress() + (gpa - r.guestAddress());
            }
        }
        throw new GuestMemoryException(gpa, length, base(), size());
    }

    @Override
    protected GuestMemory live() {
        if (!open) {
            throw new IllegalStateException("guest memory of a closed vhost-user session");
        }
        return view;
    }

    @Override
    public long base() {
        return view.base();
    }

    @Override
    public long size() {
        return view.size();
    }

    /** Unmaps and closes the memfd; the back-end keeps its own mapping until it drops the connection. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            mapping.close();
        } finally {
            memfd.close();
        }
    }
}
