package org.virtiotck.harness.qemu;

import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The part of QEMU's guest RAM that probes own: from the heap start up to the end of RAM, so that
 * {@code base() + size()} is where guest memory really ends for the device. The stub, its mailbox and the DTB
 * below the heap are out of reach. Accesses go through a {@link ByteBufferGuestMemory} over the shared mapping
 * (ring indices as single acquire/release 16-bit accesses); after the RAM is unmapped every access throws
 * instead of touching unmapped memory, and an acquire read after QEMU exited reports the device lost.
 */
final class QemuGuestMemory implements GuestMemory {
    private final GuestRam ram;
    private final QemuProcess qemu;
    private final ByteBufferGuestMemory view;

    QemuGuestMemory(GuestRam ram, QemuProcess qemu, long heapBase) {
        this.ram = ram;
        this.qemu = qemu;
        int from = (int) (heapBase - GuestRam.BASE);
        this.view = new ByteBufferGuestMemory(ram.buffer().duplicate().position(from).slice(), heapBase);
    }

    private GuestMemory live() {
        if (!ram.isMapped()) {
            throw new IllegalStateException("guest memory of a closed QEMU session (" + ram.file() + ")");
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

    @Override
    public int u8(long gpa) {
        return live().u8(gpa);
    }

    @Override
    public int u16(long gpa) {
        return live().u16(gpa);
    }

    @Override
    public long u32(long gpa) {
        return live().u32(gpa);
    }

    @Override
    public long u64(long gpa) {
        return live().u64(gpa);
    }

    @Override
    public void putU8(long gpa, int value) {
        live().putU8(gpa, value);
    }

    @Override
    public void putU16(long gpa, int value) {
        live().putU16(gpa, value);
    }

    @Override
    public void putU32(long gpa, long value) {
        live().putU32(gpa, value);
    }

    @Override
    public void putU64(long gpa, long value) {
        live().putU64(gpa, value);
    }

    /**
     * Also where a dead QEMU shows: waits for used buffers poll ring indices and flags with this, and a device
     * whose process exited will never answer, so the wait ends as a lost device instead of at its deadline.
     */
    @Override
    public int u16Acquire(long gpa) {
        if (!qemu.isAlive()) {
            throw qemu.lost("while the driver was waiting on guest memory at 0x" + Long.toHexString(gpa));
        }
        return live().u16Acquire(gpa);
    }

    @Override
    public void putU16Release(long gpa, int value) {
        live().putU16Release(gpa, value);
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) {
        live().read(gpa, dst, offset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) {
        live().write(gpa, src, offset, length);
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        live().fill(gpa, length, value);
    }
}
