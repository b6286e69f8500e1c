package org.virtiotck.fuzz;

import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;

/**
 * A device type's oracle on one session: turns a request into buffers with the expectations that judge its
 * completion, and checks what only the end of a batch shows (the disk behind a blk device, say).
 */
public interface DeviceOracle {

    /** A batch negotiated its features and set up its queues, and is about to set DRIVER_OK. */
    default void startBatch(VirtioDriver driver) {
    }

    /** Buffers for {@code request}, the {@code index}th of its case, allocated from {@code alloc}. */
    Prepared prepare(int index, FuzzRequest request, Allocator alloc);

    /** Called after every batch that ran to its end. */
    default void endBatch(Findings out) {
    }

    /** A case ended with findings: whatever the oracle remembers of the device may be wrong now; relearn it. */
    default void relearn() {
    }
}
