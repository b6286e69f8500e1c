package org.virtiotck.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;

/** Buffers cut as {@link Cuts} says, and the bytes a device wrote into such buffers read back. */
final class Pieces {
    private Pieces() {
    }

    /** {@code data} in device-readable buffers, one per piece. */
    static List<Buffer> readable(Allocator alloc, byte[] data, List<Integer> cuts) {
        List<Buffer> out = new ArrayList<>();
        List<Integer> bounds = Cuts.bounds(cuts, data.length);
        for (int p = 0; p + 1 < bounds.size(); p++) {
            out.add(alloc.readable(Arrays.copyOfRange(data, bounds.get(p), bounds.get(p + 1))));
        }
        return out;
    }

    /** {@code bytes} device-writable bytes, one buffer per piece. */
    static List<Buffer> writable(Allocator alloc, int bytes, List<Integer> cuts) {
        List<Buffer> out = new ArrayList<>();
        List<Integer> bounds = Cuts.bounds(cuts, bytes);
        for (int p = 0; p + 1 < bounds.size(); p++) {
            out.add(alloc.writable(bounds.get(p + 1) - bounds.get(p)));
        }
        return out;
    }

    /** The first {@code count} bytes of {@code buffers} taken as one run (all of them when they hold fewer). */
    static byte[] read(GuestMemory memory, List<Buffer> buffers, long count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long left = count;
        for (Buffer b : buffers) {
            int n = (int) Math.min(left, b.length());
            if (n <= 0) {
                break;
            }
            out.writeBytes(memory.read(b.address(), n));
            left -= n;
        }
        return out.toByteArray();
    }

    /** Total length of {@code buffers}. */
    static long length(List<Buffer> buffers) {
        return buffers.stream().mapToLong(Buffer::length).sum();
    }
}
