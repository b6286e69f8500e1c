package org.virtiotck.driver.memory;

/**
 * Guest-physical memory as the driver sees it. All multi-byte values are little-endian, as virtio requires.
 * Every access is bounds-checked against the memory this object owns and fails with
 * {@link GuestMemoryException} rather than touching anything else.
 *
 * <p>Ring indices and flags are shared with a device that may run concurrently (another thread, another
 * process), so they have acquire/release variants done as one 16-bit access: a torn index would make a
 * correct peer consume the wrong entries.
 */
public interface GuestMemory {

    /** First guest-physical address owned. */
    long base();

    /** Number of bytes owned, starting at {@link #base()}. */
    long size();

    /** True when [gpa, gpa + length) lies entirely inside this memory. */
    default boolean contains(long gpa, long length) {
        return length >= 0 && gpa >= base() && gpa - base() <= size() - length;
    }

    int u8(long gpa);

    int u16(long gpa);

    long u32(long gpa);

    long u64(long gpa);

    void putU8(long gpa, int value);

    void putU16(long gpa, int value);

    void putU32(long gpa, long value);

    void putU64(long gpa, long value);

    /** 16-bit load with acquire semantics: later loads are not reordered before it. */
    int u16Acquire(long gpa);

    /** 16-bit store with release semantics: earlier stores are visible before it. */
    void putU16Release(long gpa, int value);

    void read(long gpa, byte[] dst, int offset, int length);

    void write(long gpa, byte[] src, int offset, int length);

    default byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        read(gpa, b, 0, length);
        return b;
    }

    default void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    void fill(long gpa, long length, byte value);
}
