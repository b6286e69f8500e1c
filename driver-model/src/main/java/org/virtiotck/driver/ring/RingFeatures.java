package org.virtiotck.driver.ring;

import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;

/** The negotiated features that change how either side uses a ring, whatever its layout. */
public record RingFeatures(boolean indirect, boolean eventIdx, boolean inOrder) {
    public static final RingFeatures NONE = new RingFeatures(false, false, false);

    public static RingFeatures of(FeatureSet negotiated) {
        return new RingFeatures(negotiated.has(Feature.INDIRECT_DESC), negotiated.has(Feature.EVENT_IDX),
                negotiated.has(Feature.IN_ORDER));
    }
}
