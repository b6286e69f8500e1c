package org.virtiotck.harness.session;

/** The far side of a blk device: its backing store, read and written directly, bypassing the device. */
public interface BlkImage {

    long sizeBytes();

    byte[] read(long offset, int length);

    void write(long offset, byte[] data);
}
