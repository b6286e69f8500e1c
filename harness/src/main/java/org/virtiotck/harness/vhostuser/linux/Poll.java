package org.virtiotck.harness.vhostuser.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.List;

/** poll(2) on one descriptor with a deadline, so no wait on a peer can outlast it. */
public final class Poll {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private Poll() {
    }

    /**
     * Waits until {@code fd} reports one of {@code events} (or an error or hang-up), or until {@code deadlineNanos}
     * (a {@link System#nanoTime()} value) has passed. Returns the reported events, 0 when the deadline passed first.
     * A deadline already past still polls once, so a ready descriptor is never reported as timed out.
     */
    public static int await(OwnedFd fd, short events, long deadlineNanos) {
        Memory pollfd = new Memory(8);
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            int timeout = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (left + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI));
            pollfd.setInt(0, fd.get());
            pollfd.setShort(4, events);
            pollfd.setShort(6, (short) 0);
            try {
                if (LibC.INSTANCE.poll(pollfd, 1, timeout) > 0) {
                    return pollfd.getShort(6) & 0xffff;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NativeCallException.of("poll(" + fd + ")", e);
                }
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return 0;
            }
        }
    }

    /**
     * Waits until any of {@code fds} reports one of {@code events} (or an error or hang-up), or until
     * {@code deadlineNanos}. Returns the reported events per descriptor, all 0 when the deadline passed first.
     */
    public static int[] awaitAny(List<OwnedFd> fds, short events, long deadlineNanos) {
        int[] revents = new int[fds.size()];
        Memory pollfds = new Memory(8L * Math.max(1, fds.size()));
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            int timeout = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (left + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI));
            for (int i = 0; i < fds.size(); i++) {
                pollfds.setInt(8L * i, fds.get(i).get());
                pollfds.setShort(8L * i + 4, events);
                pollfds.setShort(8L * i + 6, (short) 0);
            }
            try {
                if (LibC.INSTANCE.poll(pollfds, fds.size(), timeout) > 0) {
                    for (int i = 0; i < fds.size(); i++) {
                        revents[i] = pollfds.getShort(8L * i + 6) & 0xffff;
                    }
                    return revents;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw NativeCallException.of("poll(" + fds + ")", e);
                }
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return revents;
            }
        }
    }
}
