package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code struct msghdr} with one iovec and room for SCM_RIGHTS, laid out by hand for LP64 Linux (x86-64 and
 * AArch64 share it): msghdr is 56 bytes, iovec 16, cmsghdr 16 followed by the descriptors as ints.
 */
final class MsgHdr {
    static final int MAX_FDS = 8;
    private static final int MSGHDR = 56;
    private static final int IOVEC = 16;
    private static final int CMSGHDR = 16;
    private static final int CONTROL = CMSGHDR + align8(4 * MAX_FDS);

    private final Memory block;
    private final int dataLength;

    /** Room for {@code dataLength} bytes of data and up to {@link #MAX_FDS} descriptors. */
    MsgHdr(int dataLength) {
        this.dataLength = dataLength;
        this.block = new Memory(MSGHDR + IOVEC + CONTROL + Math.max(1, dataLength));
        block.clear();
        block.setPointer(16, block.share(MSGHDR));
        block.setLong(24, 1);
        block.setPointer(MSGHDR, block.share(MSGHDR + IOVEC + CONTROL));
        block.setLong(MSGHDR + 8, dataLength);
        block.setPointer(32, block.share(MSGHDR + IOVEC));
        block.setLong(40, CONTROL);
    }

    Memory pointer() {
        return block;
    }

    void putData(byte[] src, int offset, int length) {
        block.write(MSGHDR + IOVEC + CONTROL, src, offset, length);
    }

    void getData(byte[] dst, int offset, int length) {
        block.read(MSGHDR + IOVEC + CONTROL, dst, offset, length);
    }

    /** One SCM_RIGHTS control message with {@code fds}, or no control data at all when it is empty. */
    void putFds(int[] fds) {
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException(fds.length + " descriptors in one message, at most " + MAX_FDS);
        }
        if (fds.length == 0) {
            block.setPointer(32, null);
            block.setLong(40, 0);
            return;
        }
        int at = MSGHDR + IOVEC;
        block.setLong(at, CMSGHDR + 4L * fds.length);
        block.setInt(at + 8, LibC.SOL_SOCKET);
        block.setInt(at + 12, LibC.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            block.setInt(at + CMSGHDR + 4L * i, fds[i]);
        }
        block.setLong(40, CMSGHDR + align8(4 * fds.length));
    }

    int flags() {
        return block.getInt(48);
    }

    /**
     * Every descriptor the kernel installed for us, each wrapped at once so it is closed even if the caller
     * rejects the message. Control messages of other kinds carry no descriptors and are ignored.
     */
    List<OwnedFd> takeFds() {
        List<OwnedFd> fds = new ArrayList<>();
        long controlLength = Math.min(block.getLong(40), CONTROL);
        int base = MSGHDR + IOVEC;
        long at = 0;
        while (at + CMSGHDR <= controlLength) {
            long len = block.getLong(base + at);
            if (len < CMSGHDR || at + len > controlLength) {
                break;
            }
            if (block.getInt(base + at + 8) == LibC.SOL_SOCKET && block.getInt(base + at + 12) == LibC.SCM_RIGHTS) {
                for (long i = 0; i < (len - CMSGHDR) / 4; i++) {
                    fds.add(new OwnedFd(block.getInt(base + at + CMSGHDR + 4 * i), "received descriptor"));
                }
            }
            at += align8((int) len);
        }
        return fds;
    }

    int dataLength() {
        return dataLength;
    }

    private static int align8(int n) {
        return (n + 7) & ~7;
    }
}
