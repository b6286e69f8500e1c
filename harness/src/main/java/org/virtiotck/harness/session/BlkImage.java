package org.virtiotck.harness.session;

/** The far side of a blk device: its backing store, read and written directly, bypassing the device. */
public interface BlkImage {

    long sizeBytes();

    byte[] read(long offset, int length);

    void write(long offset, byte[] data);

    /** The index of the first byte at {@code offset} that differs from {@code expected}, or -1 if none does. */
    default int mismatch(long offset, byte[] expected) {
        return java.util.Arrays.mismatch(read(offset, expected.length), expected);
    }
}
