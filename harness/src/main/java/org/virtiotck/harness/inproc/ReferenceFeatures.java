package org.virtiotck.harness.inproc;

import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * The device-independent features every reference device offers: VERSION_1, because these devices have no
 * legacy interface, and the ring features its queues implement for any device type (packed layout, indirect
 * tables, event indices, in-order use). Each device adds its own type's features to these.
 */
final class ReferenceFeatures {
    static final FeatureSet RING = FeatureSet.of(Feature.VERSION_1, Feature.RING_PACKED, Feature.INDIRECT_DESC,
            Feature.EVENT_IDX, Feature.IN_ORDER);

    private ReferenceFeatures() {
    }
}
