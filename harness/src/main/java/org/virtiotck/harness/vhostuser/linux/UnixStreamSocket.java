package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A connected AF_UNIX stream socket that carries descriptors (SCM_RIGHTS). Sends and receives never block:
 * callers wait with {@link #awaitReadable}/{@link #awaitWritable} under their own deadline. A socket made by
 * {@link #listen} is a listening one instead: it only {@link #accept}s, and closing it removes its path.
 */
public final class UnixStreamSocket implements AutoCloseable {
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int SUN_PATH = 108;
    /** accept4: the connection went away between poll and accept. */
    private static final int ECONNABORTED = 103;

    private final OwnedFd fd;
    private final Path path;
    private final boolean listening;

    private UnixStreamSocket(OwnedFd fd, Path path) {
        this(fd, path, false);
    }

    private UnixStreamSocket(OwnedFd fd, Path path, boolean listening) {
        this.fd = fd;
        this.path = path;
        this.listening = listening;
    }

    /** Connects to the socket at {@code path}; ENOENT, ECONNREFUSED and the like become {@link NativeCallException}. */
    public static UnixStreamSocket connect(Path path) {
        Memory addr = address(path);
        OwnedFd fd = newSocket(path);
        try {
            LibC.INSTANCE.connect(fd.get(), addr, (int) addr.size());
        } catch (LastErrorException e) {
            fd.close();
            throw NativeCallException.of("connect(" + path + ")", e);
        }
        return new UnixStreamSocket(fd, path);
    }

    /**
     * A socket listening at {@code path} (socket, bind, listen), as a vhost-user back-end does. The path must not
     * exist (EADDRINUSE otherwise); {@link #close()} removes it again.
     */
    public static UnixStreamSocket listen(Path path) {
        Memory addr = address(path);
        OwnedFd fd = newSocket(path);
        try {
            LibC.INSTANCE.bind(fd.get(), addr, (int) addr.size());
        } catch (LastErrorException e) {
            fd.close();
            throw NativeCallException.of("bind(" + path + ")", e);
        }
        UnixStreamSocket server = new UnixStreamSocket(fd, path, true);
        try {
            LibC.INSTANCE.listen(fd.get(), 4);
        } catch (LastErrorException e) {
            server.close();
            throw NativeCallException.of("listen(" + path + ")", e);
        }
        return server;
    }

    /**
     * On a listening socket: the next connection, or null when none arrived before {@code deadlineNanos}
     * (a {@link System#nanoTime()} value).
     */
    public UnixStreamSocket accept(long deadlineNanos) {
        if (!listening) {
            throw new IllegalStateException("accept on " + path + ", which is not a listening socket");
        }
        while (true) {
            if (Poll.await(fd, LibC.POLLIN, deadlineNanos) == 0) {
                return null;
            }
            try {
                int n = LibC.INSTANCE.accept4(fd.get(), null, null, LibC.SOCK_CLOEXEC);
                return new UnixStreamSocket(new OwnedFd(n, "accepted socket " + path), path);
            } catch (LastErrorException e) {
                // The peer may have gone between poll and accept; try again until the deadline.
                if (e.getErrorCode() != LibC.EAGAIN && e.getErrorCode() != LibC.EINTR && e.getErrorCode() != ECONNABORTED) {
                    throw NativeCallException.of("accept4(" + path + ")", e);
                }
            }
        }
    }

    /** A sockaddr_un for {@code path}, sized to the name and its NUL. */
    private static Memory address(Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH) {
            throw new IllegalArgumentException("socket path is " + name.length + " bytes, longer than the "
                    + (SUN_PATH - 1) + " a unix socket address holds: " + path);
        }
        Memory addr = new Memory(2 + name.length + 1);
        addr.clear();
        addr.setShort(0, (short) LibC.AF_UNIX);
        addr.write(2, name, 0, name.length);
        return addr;
    }

    private static OwnedFd newSocket(Path path) {
        try {
            return new OwnedFd(LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0), "socket " + path);
        } catch (LastErrorException e) {
            throw NativeCallException.of("socket(AF_UNIX, SOCK_STREAM)", e);
        }
    }

    /**
     * Two connected sockets (socketpair): the back-end request channel of vhost-user is one, and tests play a
     * back-end on the other end of a frontend.
     */
    public static UnixStreamSocket[] pair(String what) {
        int[] sv = new int[2];
        try {
            LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, sv);
        } catch (LastErrorException e) {
            throw NativeCallException.of("socketpair(AF_UNIX, SOCK_STREAM)", e);
        }
        Path name = Path.of(what);
        return new UnixStreamSocket[] {new UnixStreamSocket(new OwnedFd(sv[0], "socketpair " + what + " [0]"), name),
                new UnixStreamSocket(new OwnedFd(sv[1], "socketpair " + what + " [1]"), name)};
    }

    public Path path() {
        return path;
    }

    /** The descriptor, for polling it together with others ({@link Poll#awaitAny}). */
    public OwnedFd fd() {
        return fd;
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    /** Events (POLLIN, POLLHUP, POLLERR) once readable or closed by the peer, 0 at the deadline. */
    public int awaitReadable(long deadlineNanos) {
        return Poll.await(fd, LibC.POLLIN, deadlineNanos);
    }

    public int awaitWritable(long deadlineNanos) {
        return Poll.await(fd, LibC.POLLOUT, deadlineNanos);
    }

    /** True when the peer has sent bytes (or closed) that nobody asked for yet. */
    public boolean hasPendingInput() {
        return Poll.await(fd, LibC.POLLIN, System.nanoTime()) != 0;
    }

    /**
     * Sends as much of {@code data[offset, offset+length)} as the socket takes now, with {@code fds} attached
     * (pass them only with the first byte of a message). Returns the bytes sent, 0 when the socket is full.
     */
    public int send(byte[] data, int offset, int length, List<OwnedFd> fds) {
        MsgHdr msg = new MsgHdr(length);
        msg.putData(data, offset, length);
        msg.putFds(fds.stream().mapToInt(OwnedFd::get).toArray());
        while (true) {
            try {
                return (int) LibC.INSTANCE.sendmsg(fd.get(), msg.pointer(), LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EAGAIN) {
                    return 0;
                }
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NativeCallException.of("sendmsg(" + path + ", " + length + " bytes, " + fds.size() + " fds)", e);
                }
            }
        }
    }

    /**
     * Receives what is there now, at most {@code length} bytes. Every descriptor that came with them is returned
     * owned, so the caller closes what it does not want. Bytes is 0 at end of stream and -1 when nothing is there.
     */
    public Received receive(byte[] dst, int offset, int length) {
        MsgHdr msg = new MsgHdr(length);
        while (true) {
            try {
                int n = (int) LibC.INSTANCE.recvmsg(fd.get(), msg.pointer(), LibC.MSG_DONTWAIT | LibC.MSG_CMSG_CLOEXEC);
                List<OwnedFd> fds = msg.takeFds();
                if (n > 0) {
                    msg.getData(dst, offset, n);
                }
                return new Received(n, fds, (msg.flags() & LibC.MSG_CTRUNC) != 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EAGAIN) {
                    return new Received(-1, List.of(), false);
                }
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NativeCallException.of("recvmsg(" + path + ")", e);
                }
            }
        }
    }

    /**
     * What one receive got: {@code bytes} (0 at end of stream, -1 when nothing was there), the descriptors that came
     * with them, and whether the kernel dropped some because they did not fit (it closes those itself).
     */
    public record Received(int bytes, List<OwnedFd> fds, boolean descriptorsTruncated) {
    }

    /** Closes the socket; a listening one also removes its path, so no stale socket file is left behind. */
    @Override
    public void close() {
        boolean wasOpen = fd.isOpen();
        fd.close();
        if (listening && wasOpen) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Nothing listens there any more; a leftover file only makes the next bind fail with EADDRINUSE.
            }
        }
    }
}
