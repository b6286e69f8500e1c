package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;

/**
 * One file descriptor and the duty to close it exactly once. Every descriptor this package creates or
 * receives is wrapped at once, so an exception between creation and use cannot leak it. Closing twice is
 * harmless; using a closed one is an {@link IllegalStateException}, never an access to a reused number.
 */
public final class OwnedFd implements AutoCloseable {
    private final String what;
    private int fd;

    OwnedFd(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    /** The descriptor number, for passing to a call or in SCM_RIGHTS; only valid until {@link #close()}. */
    public int get() {
        if (fd < 0) {
            throw new IllegalStateException(what + " is already closed");
        }
        return fd;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        if (fd < 0) {
            return;
        }
        int n = fd;
        fd = -1;
        try {
            LibC.INSTANCE.close(n);
        } catch (LastErrorException e) {
            // Linux releases the descriptor even when close reports an error (EINTR, EIO): nothing to retry.
        }
    }

    @Override
    public String toString() {
        return what + (fd >= 0 ? " (fd " + fd + ")" : " (closed)");
    }
}
