package org.virtiotck.driver.feature;

import static org.virtiotck.driver.feature.Feature.*;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A feature that requires others, as the spec states it: {@code feature} needs at least one of {@code anyOf}.
 * §2.2.2 forbids a device to offer such a feature without it, and a driver to accept one without it. VIRTIO 1.2
 * states requirements only for device types, none among the device-independent bits; of the device types the
 * driver model knows, only the network device has them (§5.1.3.1).
 */
public record FeatureRequirement(Feature feature, List<Feature> anyOf) {
    private static final List<FeatureRequirement> NET = List.of(
            of(NET_GUEST_TSO4, NET_GUEST_CSUM),
            of(NET_GUEST_TSO6, NET_GUEST_CSUM),
            of(NET_GUEST_ECN, NET_GUEST_TSO4, NET_GUEST_TSO6),
            of(NET_GUEST_UFO, NET_GUEST_CSUM),
            of(NET_HOST_TSO4, NET_CSUM),
            of(NET_HOST_TSO6, NET_CSUM),
            of(NET_HOST_ECN, NET_HOST_TSO4, NET_HOST_TSO6),
            of(NET_HOST_UFO, NET_CSUM),
            of(NET_HOST_USO, NET_CSUM),
            of(NET_CTRL_RX, NET_CTRL_VQ),
            of(NET_CTRL_VLAN, NET_CTRL_VQ),
            of(NET_GUEST_ANNOUNCE, NET_CTRL_VQ),
            of(NET_MQ, NET_CTRL_VQ),
            of(NET_CTRL_MAC_ADDR, NET_CTRL_VQ),
            of(NET_RSC_EXT, NET_HOST_TSO4, NET_HOST_TSO6),
            of(NET_RSS, NET_CTRL_VQ));

    public FeatureRequirement {
        anyOf = List.copyOf(anyOf);
        if (anyOf.isEmpty()) {
            throw new IllegalArgumentException(feature + " requires nothing");
        }
    }

    private static FeatureRequirement of(Feature feature, Feature... anyOf) {
        return new FeatureRequirement(feature, List.of(anyOf));
    }

    /** The requirements stated for {@code type}'s features; empty when the spec states none. */
    public static List<FeatureRequirement> of(DeviceType type) {
        return type == DeviceType.NET ? NET : List.of();
    }

    /** Whether {@code features} holds this feature but none of those it requires. */
    public boolean brokenBy(FeatureSet features) {
        return features.has(feature) && anyOf.stream().noneMatch(features::has);
    }

    /** "NET_F_GUEST_ECN requires NET_F_GUEST_TSO4 or NET_F_GUEST_TSO6". */
    @Override
    public String toString() {
        return feature.specName() + " requires "
                + anyOf.stream().map(Feature::specName).collect(Collectors.joining(" or "));
    }
}
