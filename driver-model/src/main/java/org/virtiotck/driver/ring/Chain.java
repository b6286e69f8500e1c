package org.virtiotck.driver.ring;

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

    public long writableBytes() {
        long n = 0;
        for (Buffer b : writable) {
            n += b.length();
        }
        return n;
    }
}
