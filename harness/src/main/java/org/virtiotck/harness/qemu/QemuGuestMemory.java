package org.virtiotck.harness.qemu;

import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.DelegatingGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The part of QEMU's guest RAM that probes own: from the heap start up to the end of RAM, so that
 * {@code base() + size()} is where guest memory really ends for the device. The stub, its mailbox and the DTB
 * below the heap are out of reach. Accesses go through a {@link ByteBufferGuestMemory} over the shared mapping
 * (ring indices as single acquire/release 16-bit accesses); after the RAM is unmapped every access throws
 * instead of touching unmapped memory, and an acquire read after QEMU exited reports the device lost.
 */
final class QemuGuestMemory extends DelegatingGuestMemory {
    private final GuestRam ram;
    private final QemuProcess qemu;
    private final ByteBufferGuestMemory view;

    QemuGuestMemory(GuestRam ram, QemuProcess qemu, long heapBase) {
        this.ram = ram;
        this.qemu = qemu;
        int from = (int) (heapBase - GuestRam.BASE);
        this.view = new ByteBufferGuestMemory(ram.buffer().duplicate().position(from).slice(), heapBase);
    }

    @Override
    protected GuestMemory live() {
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

    /**
     * Also where a dead QEMU shows: waits for used buffers poll ring indices and flags with this, and a device
     * whose process exited will never answer, so the wait ends as a lost device instead of at its deadline.
     */
    @Override
    public int u16Acquire(long gpa) {
        if (!qemu.isAlive()) {
            throw qemu.lost("while the driver was waiting on guest memory at 0x" + Long.toHexString(gpa));
        }
        return super.u16Acquire(gpa);
    }

}
