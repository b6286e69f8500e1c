package org.virtiotck.harness.inproc;

/**
 * Bytes waiting to go to the driver in device-writable buffers (a console's host input, an rng's entropy),
 * handed out as far as they reach right now. Implementations are safe to fill from another thread, and guard
 * their state with their own monitor: {@link SupplyFiller} holds it from {@link #available()} to {@link #take}.
 */
interface ByteSupply {

    /** Bytes that {@link #take} would hand out now. */
    long available();

    /** Removes and returns the next bytes, at most {@code max}; fewer only when fewer are available. */
    byte[] take(int max);
}
