package org.virtiotck.probes.faulty;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Supplier;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Rewrites ring fields in guest memory for the length of one pop and puts the driver's values back afterwards:
 * how a faulty device shows the real queue the chain it (wrongly) reads, without leaving a trace the driver
 * could see.
 */
final class GuestPatch {
    private final GuestMemory memory;
    private final Deque<Runnable> undo = new ArrayDeque<>();

    GuestPatch(GuestMemory memory) {
        this.memory = memory;
    }

    void u16(long at, int value) {
        int old = memory.u16(at);
        undo.push(() -> memory.putU16(at, old));
        memory.putU16(at, value);
    }

    void u32(long at, long value) {
        long old = memory.u32(at);
        undo.push(() -> memory.putU32(at, old));
        memory.putU32(at, value);
    }

    void u64(long at, long value) {
        long old = memory.u64(at);
        undo.push(() -> memory.putU64(at, old));
        memory.putU64(at, value);
    }

    /** Runs {@code pop} with the patches in place, then restores every patched field, latest first. */
    <T> Optional<T> during(Supplier<Optional<T>> pop) {
        try {
            return pop.get();
        } finally {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
        }
    }
}
