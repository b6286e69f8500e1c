package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * Device-type logic of a virtio device (blk, net, ...), independent of the transport that exposes it.
 * The transport owns status, feature negotiation and queue setup, and calls in here.
 */
public interface VirtioDevice {

    DeviceType type();

    /** Every feature this device understands; the driver accepts a subset (§2.2). */
    FeatureSet offeredFeatures();

    /** Number of virtqueues; queue indices at or above it do not exist. */
    int queueCount();

    /** Largest queue size the device accepts, the same for every queue. */
    int maxQueueSize();

    /** The current device-specific configuration space: the type's config struct, little-endian (§2.5). */
    byte[] config();

    /**
     * The driver wrote {@code width} bytes (1, 2 or 4) of the configuration space at {@code offset}, the value
     * little-endian in the low bytes; the transport only passes writes that lie inside {@link #config()}. Most
     * configuration fields are read-only, so by default the write changes nothing; a device with driver-writable
     * fields (a console's emerg_wr, §5.3.4) acts on them here.
     */
    default void writeConfig(int offset, int width, long value) {
    }

    /** The driver's accepted features, once the transport has let FEATURES_OK stick. */
    void featuresNegotiated(FeatureSet accepted);

    /** Return to the initial state after a device reset (§2.4); the transport clears its own state. */
    void reset();

    /**
     * Handles an available buffer notification: pops every available chain and pushes a completion for each.
     * Only called while DRIVER_OK is set and the queue is ready.
     *
     * @throws MalformedChainException when the driver broke the ring or request format; the transport then
     *         marks the device as needing a reset
     */
    void process(int queueIndex, DeviceQueue queue);

    /**
     * Called once by the transport in front of the device, before any other call: how the device starts queue
     * work or reports a configuration change on its own. Devices that only react to notifications ignore it.
     */
    default void attach(DeviceHost host) {
    }

    /**
     * The far side of the given kind that a session hands to probes (a net device's wire, a console's host
     * end, an rng's entropy source), or empty when this device has none of that kind.
     */
    default <T> Optional<T> farSide(Class<T> kind) {
        return Optional.empty();
    }
}
