package org.virtiotck.driver;

import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;

/** The run requires features the device does not offer, so it cannot happen as asked (verdict SKIP). */
public final class FeatureNotOfferedException extends RuntimeException {
    public FeatureNotOfferedException(FeatureSet missing, FeatureSet offered, DeviceType type) {
        super("device does not offer " + missing.describe(type) + " (offers " + offered.describe(type) + ")");
    }
}
