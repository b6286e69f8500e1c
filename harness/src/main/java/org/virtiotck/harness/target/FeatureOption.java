package org.virtiotck.harness.target;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeaturePolicy;

/**
 * Parses {@code features=+EVENT_IDX,-INDIRECT_DESC}: names as the spec writes them (with or without the
 * VIRTIO_F_ / VIRTIO_ prefix, e.g. EVENT_IDX, BLK_F_RO).
 */
final class FeatureOption {
    private FeatureOption() {
    }

    /**
     * The policy for a device of {@code type}. A feature of another device type is an error when {@code strict}
     * (the target names one device), and is left out otherwise (it is meant for another device of the target).
     */
    static FeaturePolicy parse(String value, DeviceType type, boolean strict) {
        FeaturePolicy policy = FeaturePolicy.NONE;
        Set<Feature> seen = EnumSet.noneOf(Feature.class);
        for (String item : value.split(",", -1)) {
            if (item.length() < 2 || (item.charAt(0) != '+' && item.charAt(0) != '-')) {
                throw new IllegalArgumentException("feature '" + item + "' must start with + or -");
            }
            Feature f = feature(item.substring(1));
            if (!seen.add(f)) {
                throw new IllegalArgumentException("feature " + f.specName() + " given twice");
            }
            if (f.device() != null && f.device() != type) {
                if (strict) {
                    throw new IllegalArgumentException("feature " + f.specName() + " belongs to " + f.device().lowerName()
                            + " devices, not " + (type == null ? "this device" : type.lowerName()));
                }
                continue;
            }
            policy = item.charAt(0) == '+' ? policy.requiring(f) : policy.forbidding(f);
        }
        return policy;
    }

    private static Feature feature(String name) {
        String n = name.toUpperCase(Locale.ROOT).replaceFirst("^VIRTIO_(F_)?", "");
        for (Feature f : Feature.values()) {
            if (f.name().equals(n) || f.specName().equals(n)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown feature '" + name + "'");
    }
}
