package org.virtiotck.reports;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.virtiotck.reports.SampleTargets.OnTargets;

/** A disabled class: its probes never start, yet each must show up as SKIP with the class's reason. */
@Disabled(DisabledProbeClass.REASON)
@ExtendWith(SampleTargets.class)
public class DisabledProbeClass {
    static final String REASON = "console device not implemented";

    @TestTemplate
    @OnTargets(SampleTargets.MMIO)
    @Clause(section = "5.3.6", label = "Console size is read from config", level = Level.SHOULD)
    void consoleSize(String target) {
    }

    @Test
    @Clause(section = "5.3.5", label = "Console has two queues", level = Level.MUST)
    void queueCount() {
    }
}
