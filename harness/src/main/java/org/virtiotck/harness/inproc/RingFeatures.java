package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * The negotiated features that change how the device side of a ring behaves, whatever its layout. A queue is
 * built with them when the driver enables it, after FEATURES_OK, so they cannot change under a live queue.
 *
 * @param indirect VIRTIO_F_INDIRECT_DESC: descriptors may refer to a table of descriptors
 * @param eventIdx VIRTIO_F_EVENT_IDX: notifications are suppressed by event indices, not by flags alone
 * @param inOrder  VIRTIO_F_IN_ORDER: the device may return a batch of buffers with one used entry
 */
public record RingFeatures(boolean indirect, boolean eventIdx, boolean inOrder) {
    /** Plain rings: none of the three features. */
    public static final RingFeatures NONE = new RingFeatures(false, false, false);

    public static RingFeatures of(FeatureSet negotiated) {
        return new RingFeatures(negotiated.has(Feature.INDIRECT_DESC), negotiated.has(Feature.EVENT_IDX),
                negotiated.has(Feature.IN_ORDER));
    }
}
