package org.virtiotck.harness.session;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A raw disk image file as a {@link BlkImage}: the far side of a blk back-end the harness started on that file
 * (qemu-storage-daemon). Each access opens the file, so the back-end's writes are always seen.
 */
public record FileBlkImage(Path file) implements BlkImage {

    @Override
    public long sizeBytes() {
        return file.toFile().length();
    }

    @Override
    public byte[] read(long offset, int length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[length];
            f.seek(offset);
            f.readFully(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + length + " bytes at " + offset + " of " + file, e);
        }
    }

    @Override
    public void write(long offset, byte[] data) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            f.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + data.length + " bytes at " + offset + " of " + file, e);
        }
    }
}
