package org.virtiotck.harness.target;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeaturePolicy;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * One concrete thing a probe runs against: a device reached through one transport with one ring layout and
 * the features the run insists on or refuses. {@link #canonical()} is a target string that selects exactly
 * this variant again. {@code endpoint} is where an out-of-process device is found: the vhost-user socket path, or
 * the container image QEMU runs in; empty for in-process devices and a local QEMU; {@code image} is the disk image file behind a vhost-user blk back-end, when the
 * target names it, so probes and the fuzzer can check data end to end; empty otherwise.
 */
public record TargetVariant(String kind, String device, DeviceType type, String transport, String ring,
        FeaturePolicy features, Duration timeout, String endpoint, String image) {
    public static final String VHOST_USER = "vhost-user";
    public static final String QEMU = "qemu";
    public static final String QEMU_CONTAINER = "qemu-container";

    /** An in-process variant: no endpoint. */
    public TargetVariant(String kind, String device, DeviceType type, String transport, String ring,
            FeaturePolicy features, Duration timeout) {
        this(kind, device, type, transport, ring, features, timeout, "", "");
    }

    /** The feature policy with the ring layout folded in: packed requires RING_PACKED, split forbids it. */
    public FeaturePolicy policy() {
        return ring.equals("packed") ? features.requiring(Feature.RING_PACKED) : features.forbidding(Feature.RING_PACKED);
    }

    public String canonical() {
        String f = describe(features);
        String head = kind.equals(VHOST_USER) ? kind + ":" + endpoint + "?device=" + device
                + (image.isEmpty() ? "" : "&image=" + image) : kind + ":" + device + "?transport=" + transport;
        return head + "&ring=" + ring
                + (f.isEmpty() ? "" : "&features=" + f)
                + (timeout.equals(TargetSpec.DEFAULT_TIMEOUT) ? "" : "&timeout=" + timeout.toMillis() + "ms")
                + (kind.equals(QEMU_CONTAINER) ? "&image=" + endpoint : "");
    }

    /** Is QEMU the device, locally or in a container? */
    public boolean qemu() {
        return kind.equals(QEMU) || kind.equals(QEMU_CONTAINER);
    }

    /** Short form for display names: "inproc:blk mmio split", "vhost-user:blk /tmp/b.sock split". */
    public String label() {
        String f = describe(features);
        String where = kind.equals(VHOST_USER) ? endpoint : transport;
        return kind + ":" + device + " " + where + " " + ring + (f.isEmpty() ? "" : " " + f);
    }

    private String describe(FeaturePolicy p) {
        List<String> items = new ArrayList<>();
        add(items, "+", p.require());
        add(items, "-", p.forbid());
        return String.join(",", items);
    }

    /** Names as this device type reads its bits: bit 5 is BLK_F_RO on blk and NET_F_MAC on net. */
    private void add(List<String> items, String sign, FeatureSet set) {
        for (int bit = 0; bit < FeatureSet.BITS; bit++) {
            if (set.has(bit)) {
                Feature f = Feature.of(bit, type);
                items.add(sign + (f != null ? f.specName() : "bit" + bit));
            }
        }
    }
}
