package org.virtiotck.harness.inproc;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.List;
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

    /**
     * The next available chain, validated; empty when the driver has made nothing more available. With
     * EVENT_IDX, an empty ring also makes the queue ask the driver to notify it of the next buffer.
     */
    Optional<DescriptorChain> pop();

    /** Returns a chain to the driver, reporting {@code usedLen} bytes written. */
    void push(DescriptorChain chain, long usedLen);

    /**
     * Returns a batch of chains with one used entry, as VIRTIO_F_IN_ORDER allows (§2.7.9, §2.8.8): the entry
     * carries the id of the last chain and {@code lastUsedLen}; the driver takes every earlier chain of the
     * batch as used in full. The chains must be the oldest ones not yet returned, in the order they were
     * popped; a device should batch only chains it used completely, except the last.
     *
     * @throws IllegalStateException when IN_ORDER was not negotiated: batching is then not allowed
     */
    void pushBatch(List<DescriptorChain> chains, long lastUsedLen);

    /** Free-running count of used entries (mod 2^16), in the layout's own terms; moves when the device pushes. */
    int usedIdx();

    /**
     * Whether the driver wants a used buffer notification for what was pushed since the previous call, by the
     * layout's suppression rules and the negotiated features. The call also marks that position, so each push
     * is judged once; false when nothing was pushed since.
     */
    boolean takeUsedNotification();
}
