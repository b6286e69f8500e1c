package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * A MAP_SHARED mapping of a file, unmapped by {@link #close()}. The {@link ByteBuffer} view must not be used
 * after closing (it would touch unmapped memory); its owners check {@link #isMapped()} first.
 */
public final class SharedMapping implements AutoCloseable {
    private final long length;
    private Pointer address;

    private SharedMapping(Pointer address, long length) {
        this.address = address;
        this.length = length;
    }

    /** Maps the first {@code length} bytes of {@code fd} read-write and shared (a back-end maps what it was sent). */
    public static SharedMapping of(OwnedFd fd, long length) {
        try {
            Pointer p = LibC.INSTANCE.mmap(null, length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd.get(), 0);
            return new SharedMapping(p, length);
        } catch (LastErrorException e) {
            throw NativeCallException.of("mmap(" + fd + ", " + length + " bytes, MAP_SHARED)", e);
        }
    }

    /**
     * Creates {@code file}, which must not exist yet (so no other run's file is ever reused), sizes it to
     * {@code length} and maps it shared; another process that maps the same path sees the same bytes. The
     * descriptor is closed at once: the mapping keeps the file's pages. The caller removes the file.
     */
    public static SharedMapping ofNewFile(java.nio.file.Path file, long length) {
        OwnedFd fd;
        try {
            fd = new OwnedFd(LibC.INSTANCE.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC,
                    0600), file.toString());
        } catch (LastErrorException e) {
            throw NativeCallException.of("open(" + file + ", O_CREAT|O_EXCL)", e);
        }
        try (fd) {
            LibC.INSTANCE.ftruncate(fd.get(), length);
            return of(fd, length);
        } catch (LastErrorException e) {
            throw NativeCallException.of("ftruncate(" + file + ", " + length + ")", e);
        }
    }

    public long length() {
        return length;
    }

    public boolean isMapped() {
        return address != null;
    }

    /** A direct buffer over the whole mapping (at most 2 GiB), valid until {@link #close()}. */
    public ByteBuffer buffer() {
        if (address == null) {
            throw new IllegalStateException("mapping already unmapped");
        }
        return address.getByteBuffer(0, length);
    }

    @Override
    public void close() {
        if (address == null) {
            return;
        }
        Pointer p = address;
        address = null;
        try {
            LibC.INSTANCE.munmap(p, length);
        } catch (LastErrorException e) {
            throw NativeCallException.of("munmap(" + length + " bytes)", e);
        }
    }
}
