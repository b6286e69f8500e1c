package org.virtiotck.reports;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.TestTemplate;

/** Probes that never reach a target: each is reported once, against the "unknown" target. */
public class UnrunnableProbes {
    static final String DISABLED_REASON = "needs a vhost-user backend";

    /** SKIP with the @Disabled reason. */
    @TestTemplate
    @Disabled(DISABLED_REASON)
    @Clause(section = "5.2.6", label = "Device honours VIRTIO_BLK_F_RO", level = Level.MUST)
    void readOnlyDevice(String target) {
    }

    /** No invocation provider, so the template container itself fails: FAIL. */
    @TestTemplate
    @Clause(section = "5.2.5", label = "Capacity is reported in 512-byte sectors", level = Level.MUST)
    void capacity(String target) {
    }
}
