package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;

/**
 * A request turned into buffers: the queue it goes to, its device-readable and device-writable buffers, whether
 * it asks for an indirect table, and how to judge its completion.
 */
public record Prepared(int queue, List<Buffer> readable, List<Buffer> writable, boolean indirect, Judge judge) {

    public Prepared {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    /** Judges the completion of the request's chain; the driver model already checked the used id. */
    @FunctionalInterface
    public interface Judge {
        void judge(Completion completion, Findings out);
    }

    public int descriptors() {
        return readable.size() + writable.size();
    }
}
