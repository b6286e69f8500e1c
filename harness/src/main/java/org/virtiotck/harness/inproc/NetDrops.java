package org.virtiotck.harness.inproc;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Frames the in-process net device or its wire did not pass on, counted by reason. The driver cannot see these
 * counts; they let tests tell a frame dropped on purpose from one lost by mistake.
 */
public final class NetDrops {

    public enum Reason {
        /** A frame arrived on the wire while more than the backlog limit were already waiting; the oldest went. */
        RX_BACKLOG_FULL,
        /** A frame arrived on the wire while the link was down. */
        RX_LINK_DOWN,
        /** A received frame shorter than an ethernet header or longer than the MTU plus that header. */
        RX_SIZE,
        /** With CTRL_RX negotiated, the receive filter (RX modes, MAC table) did not pass the frame. */
        RX_FILTERED,
        /** Without MRG_RXBUF, the next receive buffer cannot hold the header and the whole frame. */
        RX_BUFFER_TOO_SMALL,
        /** The driver transmitted while the link was down. */
        TX_LINK_DOWN,
        /** A transmitted frame shorter than an ethernet header or longer than the MTU plus that header. */
        TX_SIZE,
        /** A transmitted header asked for checksum or segmentation offload, which this device never offers. */
        TX_OFFLOAD,
        /** More transmitted frames were waiting on the wire, untaken, than it keeps; the oldest went. */
        TX_CAPTURE_FULL
    }

    private final AtomicLongArray counts = new AtomicLongArray(Reason.values().length);

    void add(Reason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long count(Reason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("NetDrops[");
        for (Reason r : Reason.values()) {
            long n = count(r);
            if (n != 0) {
                s.append(s.length() > 9 ? ", " : "").append(r).append('=').append(n);
            }
        }
        return s.append(']').toString();
    }
}
