package org.virtiotck.driver.transport;

/**
 * Memory-mapped register accesses at bus addresses, the way a CPU performs them: an in-process register
 * model answers directly, a QEMU guest stub performs them inside the guest. Offsets are relative to the
 * device's register window. Widths are 1, 2 or 4 bytes; values are zero-extended.
 */
public interface MmioBus {

    long read(long offset, int width);

    void write(long offset, int width, long value);

    default long read32(long offset) {
        return read(offset, 4);
    }

    default void write32(long offset, long value) {
        write(offset, 4, value);
    }

    /** This bus seen from {@code base}: offset 0 of the window is {@code base} here (a device's register block). */
    default MmioBus window(long base) {
        MmioBus bus = this;
        return new MmioBus() {
            @Override
            public long read(long offset, int width) {
                return bus.read(base + offset, width);
            }

            @Override
            public void write(long offset, int width, long value) {
                bus.write(base + offset, width, value);
            }
        };
    }
}
