package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;

/**
 * A request turned into buffers: the queue it goes to, its device-readable and device-writable buffers, whether
 * it asks for an indirect table, how to judge its completion, whether the runner waits for it, and what the far
 * side does once the request is made available ({@code offer}: a frame sent from the wire, console input from the
 * host). The runner runs {@code offer} only for a well-formed request it made available; a mutated one never gets
 * it, so a device that refuses the mutation leaves nothing behind for the next batch to receive.
 *
 * <p>A request that is not {@code awaited} may legitimately never complete (a receive buffer when nothing may
 * arrive): the runner makes it available and judges it if it completes before its batch ends, but never waits
 * for it, and leaves it out of a step when its ring has no room left beside earlier ones still posted.
 */
public record Prepared(int queue, List<Buffer> readable, List<Buffer> writable, boolean indirect, Judge judge,
        boolean awaited, Runnable offer) {
    private static final Runnable NOTHING = () -> { };

    public Prepared {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    public Prepared(int queue, List<Buffer> readable, List<Buffer> writable, boolean indirect, Judge judge) {
        this(queue, readable, writable, indirect, judge, true, NOTHING);
    }

    /** The same buffers, not awaited. */
    public Prepared notAwaited() {
        return new Prepared(queue, readable, writable, indirect, judge, false, offer);
    }

    /** The same request, with what the far side does once it is made available. */
    public Prepared offering(Runnable then) {
        return new Prepared(queue, readable, writable, indirect, judge, awaited, then);
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
