package org.virtiotck.harness.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.virtiotck.harness.vhostuser.linux.SharedMapping;

/**
 * QEMU's guest RAM as a fresh file in {@code /dev/shm} that the harness maps too: QEMU backs its RAM with it
 * ({@code memory-backend-file,share=on}), so file offset 0 is guest-physical {@link #BASE}. The file is new for
 * every session (QEMU does not clear an existing file, and a stale mailbox would look like a ready stub).
 * {@link #close()} unmaps it and removes the file; QEMU never removes it itself.
 */
final class GuestRam implements AutoCloseable {
    /** Where QEMU's virt machine puts RAM. */
    static final long BASE = 0x4000_0000L;

    private final Path file;
    private final SharedMapping mapping;
    private final ByteBuffer buffer;

    private GuestRam(Path file, SharedMapping mapping) {
        this.file = file;
        this.mapping = mapping;
        this.buffer = mapping.buffer();
    }

    /** Creates and maps {@code file} (which must not exist) of {@code size} bytes; removes it again on failure. */
    static GuestRam create(Path file, long size) {
        try {
            return new GuestRam(file, SharedMapping.ofNewFile(file, size));
        } catch (RuntimeException e) {
            delete(file);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return mapping.length();
    }

    boolean isMapped() {
        return mapping.isMapped();
    }

    /** The whole mapping; offset {@code gpa - BASE}. Not to be used after {@link #close()}. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** Writes bytes at a guest-physical address, before QEMU starts. */
    void put(long gpa, byte[] bytes) {
        buffer.put((int) (gpa - BASE), bytes);
    }

    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            delete(file);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }
}
