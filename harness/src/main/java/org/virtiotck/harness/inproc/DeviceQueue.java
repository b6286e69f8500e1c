package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The device side of one virtqueue, whatever its layout: a device takes validated chains from it and
 * returns them with the number of bytes it wrote. Malformed chains raise {@link MalformedChainException}.
 */
public interface DeviceQueue {

    GuestMemory memory();

    /** The ring features negotiated for this queue (indirect descriptors, event indices, in-order use). */
    RingFeatures features();

    /** The next available chain, validated; empty when the driver has made nothing more available. */
    Optional<DescriptorChain> pop();

    /** Returns a chain to the driver, reporting {@code usedLen} bytes written. */
    void push(DescriptorChain chain, long usedLen);

    /** Free-running count of pushed chains (mod 2^16), so the transport can tell whether to notify. */
    int usedIdx();

    /** True when the driver asked not to be notified of used buffers right now. */
    boolean usedNotificationSuppressed();
}
