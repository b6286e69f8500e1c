package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * A non-blocking eventfd: the kick and call signals of a vhost-user virtqueue. {@link #signal()} adds 1 to the
 * counter; {@link #take()} reads and clears it without waiting.
 */
public final class EventFd implements AutoCloseable {
    private final OwnedFd fd;
    private final Memory word = new Memory(8);

    private EventFd(OwnedFd fd) {
        this.fd = fd;
    }

    public static EventFd create(String what) {
        try {
            return new EventFd(new OwnedFd(LibC.INSTANCE.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC), "eventfd " + what));
        } catch (LastErrorException e) {
            throw NativeCallException.of("eventfd(" + what + ")", e);
        }
    }

    /** An eventfd received from the peer (SET_VRING_KICK/CALL/ERR); this object owns and closes it from now on. */
    public static EventFd adopt(OwnedFd fd) {
        return new EventFd(fd);
    }

    public OwnedFd fd() {
        return fd;
    }

    public void signal() {
        word.setLong(0, 1);
        try {
            LibC.INSTANCE.write(fd.get(), word, 8);
        } catch (LastErrorException e) {
            // EAGAIN means the counter is at its maximum: the peer has a signal pending anyway.
            if (e.getErrorCode() != LibC.EAGAIN) {
                throw NativeCallException.of("write(" + fd + ")", e);
            }
        }
    }

    /** The count of signals since the last take, 0 when there were none. */
    public long take() {
        while (true) {
            try {
                LibC.INSTANCE.read(fd.get(), word, 8);
                return word.getLong(0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EAGAIN) {
                    return 0;
                }
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NativeCallException.of("read(" + fd + ")", e);
                }
            }
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
