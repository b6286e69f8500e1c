package org.virtiotck.harness.vhostuser;

import org.virtiotck.harness.vhostuser.linux.EventFd;

/**
 * What the frontend remembers of one virtqueue until it hands it to the back-end at DRIVER_OK: size and guest
 * addresses as the driver configured them, readiness, whether the back-end is running it, and its three
 * eventfds (kick, call, err), made once and kept for the connection's life.
 */
final class VhostUserRing implements AutoCloseable {
    final int index;
    int size;
    long descriptorArea;
    long driverArea;
    long deviceArea;
    boolean ready;
    boolean running;
    final EventFd kick;
    final EventFd call;
    final EventFd err;

    VhostUserRing(int index) {
        this.index = index;
        EventFd k = EventFd.create("kick " + index);
        EventFd c = null;
        try {
            c = EventFd.create("call " + index);
            this.err = EventFd.create("err " + index);
        } catch (RuntimeException e) {
            k.close();
            if (c != null) {
                c.close();
            }
            throw e;
        }
        this.kick = k;
        this.call = c;
    }

    /** Back to what a reset device has: no size, no addresses, not ready, not running. */
    void forget() {
        size = 0;
        descriptorArea = driverArea = deviceArea = 0;
        ready = false;
        running = false;
    }

    @Override
    public void close() {
        kick.close();
        call.close();
        err.close();
    }
}
