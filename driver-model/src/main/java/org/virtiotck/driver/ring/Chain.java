package org.virtiotck.driver.ring;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.Buffer;

/**
 * A descriptor chain the driver made available: its head id and the buffers it describes,
 * device-readable ones first, then device-writable ones.
 */
public record Chain(int head, List<Buffer> readable, List<Buffer> writable) {

    public Chain {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    public int descriptorCount() {
        return readable.size() + writable.size();
    }

    /** The ids of the chains in flight, for findings: "[0, 3, 5]" (the first 16), or "none". */
    public static String inFlightIds(Chain[] byId) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < byId.length && ids.size() < 16; i++) {
            if (byId[i] != null) {
                ids.add(i);
            }
        }
        return ids.isEmpty() ? "none" : ids.toString();
    }

    public long writableBytes() {
        long n = 0;
        for (Buffer b : writable) {
            n += b.length();
        }
        return n;
    }
}
