package org.virtiotck.harness.target;

import java.time.Duration;

/**
 * One concrete thing a probe runs against: a device reached through one transport with one ring layout.
 * {@link #canonical()} is a target string that selects exactly this variant again.
 */
public record TargetVariant(String kind, String device, String transport, String ring, Duration timeout) {

    public String canonical() {
        return kind + ":" + device + "?transport=" + transport + "&ring=" + ring
                + (timeout.equals(TargetSpec.DEFAULT_TIMEOUT) ? "" : "&timeout=" + timeout.toMillis() + "ms");
    }

    /** Short form for display names: "inproc:blk mmio split". */
    public String label() {
        return kind + ":" + device + " " + transport + " " + ring;
    }
}
