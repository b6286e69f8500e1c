package org.virtiotck.driver.memory;

/**
 * Guest memory that passes every access to the memory {@link #live()} returns: the base of memories that belong
 * to something that can go away (a vhost-user session's memfd, the shared file of a QEMU process), where
 * {@code live()} checks that it has not before each access. Its bounds, {@code base()} and {@code size()}, stay
 * readable after it is gone.
 */
public abstract class DelegatingGuestMemory implements GuestMemory {

    /** The memory to access now; throws where that memory is gone. */
    protected abstract GuestMemory live();

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

    @Override
    public int u16Acquire(long gpa) {
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
