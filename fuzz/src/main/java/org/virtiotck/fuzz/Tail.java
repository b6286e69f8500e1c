package org.virtiotck.fuzz;

import java.util.Arrays;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Guest memory past everything the allocator handed out, which its canary check does not cover, up to the
 * device-writable buffer a mutation may have placed at the very end: a mutated descriptor can point there (a
 * buffer at or straddling the end, a length running past it), and the device must not write it.
 */
final class Tail {
    private final GuestMemory memory;
    private final long from;
    private final byte[] bytes;

    Tail(GuestMemory memory, long from, long to) {
        this.memory = memory;
        this.from = from;
        this.bytes = memory.read(from, Math.toIntExact(Math.max(0, to - from)));
    }

    /** The first byte the device changed, described; empty when none. */
    Optional<String> damage() {
        byte[] now = memory.read(from, bytes.length);
        int at = Arrays.mismatch(now, bytes);
        return at < 0 ? Optional.empty() : Optional.of(String.format(
                "byte at 0x%x beyond the allocated buffers changed from 0x%02x to 0x%02x", from + at,
                bytes[at] & 0xff, now[at] & 0xff));
    }
}
