package org.virtiotck.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A byte stream one side sends and the other receives in order (a console's output or input): what was sent,
 * and how much of it has arrived, so each arrival can be checked against the bytes it should be.
 */
final class StreamCheck {
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private long arrived;

    void sent(byte[] bytes) {
        sent.writeBytes(bytes);
    }

    /**
     * Takes {@code bytes} as the next to arrive; the offset in the stream of the first that is not the byte sent
     * there (or arrived before it was sent), or -1 when all are right.
     */
    long arrived(byte[] bytes) {
        byte[] all = sent.toByteArray();
        long at = arrived;
        arrived += bytes.length;
        int from = (int) Math.min(at, all.length);
        int to = (int) Math.min(at + bytes.length, all.length);
        int differs = Arrays.mismatch(bytes, 0, to - from, all, from, to);
        if (differs >= 0) {
            return at + differs;
        }
        return to - from < bytes.length ? at + (to - from) : -1;
    }

    /** Bytes sent that have not arrived (0 when more arrived than was sent). */
    int missing() {
        return (int) Math.max(0, sent.size() - arrived);
    }

    long sentBytes() {
        return sent.size();
    }

    void reset() {
        sent.reset();
        arrived = 0;
    }
}
