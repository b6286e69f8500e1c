package org.virtiotck.driver.feature;

/**
 * Features a run insists on or refuses, whatever a probe would otherwise accept: from a target option such as
 * {@code features=+EVENT_IDX,-INDIRECT_DESC} or {@code ring=packed}. A required feature the device does not
 * offer means the run cannot happen as asked.
 */
public record FeaturePolicy(FeatureSet require, FeatureSet forbid) {
    public static final FeaturePolicy NONE = new FeaturePolicy(FeatureSet.NONE, FeatureSet.NONE);

    public FeaturePolicy {
        if (!require.and(forbid).isEmpty()) {
            throw new IllegalArgumentException("features both required and forbidden: " + require.and(forbid));
        }
    }

    /** What the driver asks for: the probe's wish plus the required features, minus the forbidden ones. */
    public FeatureSet apply(FeatureSet wanted) {
        return wanted.minus(forbid).or(require);
    }

    public FeaturePolicy requiring(Feature f) {
        return new FeaturePolicy(require.with(f), forbid.without(f));
    }

    public FeaturePolicy forbidding(Feature f) {
        return new FeaturePolicy(require.without(f), forbid.with(f));
    }
}
