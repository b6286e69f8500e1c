package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;

/** A C library call failed: the message names the call, its arguments where they help, errno and strerror. */
public final class NativeCallException extends RuntimeException {
    private final int errno;

    private NativeCallException(String call, int errno) {
        super(call + " failed: errno " + errno + " (" + LibC.INSTANCE.strerror(errno) + ")");
        this.errno = errno;
    }

    static NativeCallException of(String call, LastErrorException e) {
        return new NativeCallException(call, e.getErrorCode());
    }

    public int errno() {
        return errno;
    }
}
