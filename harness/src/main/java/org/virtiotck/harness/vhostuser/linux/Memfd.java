package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;

/** An anonymous shared-memory file of a fixed size (memfd_create + ftruncate), for passing to another process. */
public final class Memfd implements AutoCloseable {
    private final OwnedFd fd;
    private final long size;

    private Memfd(OwnedFd fd, long size) {
        this.fd = fd;
        this.size = size;
    }

    public static Memfd create(String name, long size) {
        OwnedFd fd;
        try {
            fd = new OwnedFd(LibC.INSTANCE.memfd_create(name, LibC.MFD_CLOEXEC), "memfd " + name);
        } catch (LastErrorException e) {
            throw NativeCallException.of("memfd_create(\"" + name + "\")", e);
        }
        try {
            LibC.INSTANCE.ftruncate(fd.get(), size);
        } catch (LastErrorException e) {
            fd.close();
            throw NativeCallException.of("ftruncate(memfd " + name + ", " + size + ")", e);
        }
        return new Memfd(fd, size);
    }

    public OwnedFd fd() {
        return fd;
    }

    public long size() {
        return size;
    }

    /** Maps the whole file read-write and shared, so the other process sees every store. */
    public SharedMapping map() {
        return SharedMapping.of(fd, size);
    }

    @Override
    public void close() {
        fd.close();
    }
}
