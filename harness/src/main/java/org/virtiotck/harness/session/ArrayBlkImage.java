package org.virtiotck.harness.session;

import java.util.Arrays;

/** The backing array of an in-process blk device as a {@link BlkImage}. */
record ArrayBlkImage(byte[] image) implements BlkImage {

    @Override
    public long sizeBytes() {
        return image.length;
    }

    @Override
    public byte[] read(long offset, int length) {
        return Arrays.copyOfRange(image, (int) offset, Math.addExact((int) offset, length));
    }

    /** In place: the fuzzer compares its model with the disk after every batch. */
    @Override
    public int mismatch(long offset, byte[] expected) {
        int from = (int) offset;
        return Arrays.mismatch(image, from, Math.addExact(from, expected.length), expected, 0, expected.length);
    }

    @Override
    public void write(long offset, byte[] data) {
        System.arraycopy(data, 0, image, (int) offset, data.length);
    }
}
