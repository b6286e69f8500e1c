package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;

/** Checks that the parts of a ring the driver placed are usable: aligned, and inside guest memory. */
final class RingArea {
    private RingArea() {
    }

    /** Why {@code name} at {@code addr} cannot hold {@code length} bytes, or null when it can. */
    static String problem(GuestMemory memory, String name, long addr, int align, long length) {
        if (addr % align != 0) {
            return String.format("%s 0x%x is not %d-byte aligned", name, addr, align);
        }
        if (!memory.contains(addr, length)) {
            return String.format("%s [0x%x, +%d) is not inside guest memory [0x%x, 0x%x)",
                    name, addr, length, memory.base(), memory.base() + memory.size());
        }
        return null;
    }

    /** The first of the problems found, if any. */
    static Optional<String> first(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
