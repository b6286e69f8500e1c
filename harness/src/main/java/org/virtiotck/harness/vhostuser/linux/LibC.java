package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few C library calls the vhost-user frontend needs, bound through JNA. Declared for 64-bit Linux
 * (size_t and ssize_t are {@code long}); {@link #INSTANCE} refuses to load anywhere else. Calls that fail
 * throw {@link LastErrorException}, which {@link NativeCallException#of} turns into a message naming the call.
 */
interface LibC extends Library {
    LibC INSTANCE = load();

    int AF_UNIX = 1;
    int SOCK_STREAM = 1;
    int SOCK_CLOEXEC = 0x80000;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_CTRUNC = 0x8;
    int MSG_DONTWAIT = 0x40;
    int MSG_NOSIGNAL = 0x4000;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    int MFD_CLOEXEC = 1;
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;
    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;
    int O_RDWR = 2;
    int O_CREAT = 0x40;
    int O_EXCL = 0x80;
    int O_CLOEXEC = 0x80000;
    int EINTR = 4;
    int EAGAIN = 11;

    private static LibC load() {
        if (!System.getProperty("os.name").equals("Linux") || Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("the vhost-user frontend needs 64-bit Linux, not "
                    + System.getProperty("os.name") + " with " + Native.POINTER_SIZE * 8 + "-bit pointers");
        }
        return Native.load("c", LibC.class);
    }

    int memfd_create(String name, int flags) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int ftruncate(int fd, long length) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    int eventfd(int initval, int flags) throws LastErrorException;

    long read(int fd, Pointer buf, long count) throws LastErrorException;

    long write(int fd, Pointer buf, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int connect(int fd, Pointer addr, int addrlen) throws LastErrorException;

    int bind(int fd, Pointer addr, int addrlen) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer addr, Pointer addrlen, int flags) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    long sendmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    long recvmsg(int fd, Pointer msghdr, int flags) throws LastErrorException;

    int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

    String strerror(int errnum);
}
