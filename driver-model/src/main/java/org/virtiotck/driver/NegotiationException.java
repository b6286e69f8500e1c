package org.virtiotck.driver;

import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.DeviceStatus;

/** The device did not keep FEATURES_OK set after the driver wrote its feature subset (§3.1.1 step 6). */
public final class NegotiationException extends RuntimeException {
    private final FeatureSet accepted;
    private final int statusReadBack;

    public NegotiationException(FeatureSet accepted, FeatureSet offered, int statusReadBack) {
        super("device cleared FEATURES_OK for driver features " + accepted + " (offered " + offered
                + "); status reads " + DeviceStatus.describe(statusReadBack));
        this.accepted = accepted;
        this.statusReadBack = statusReadBack;
    }

    public FeatureSet accepted() {
        return accepted;
    }

    public int statusReadBack() {
        return statusReadBack;
    }
}
