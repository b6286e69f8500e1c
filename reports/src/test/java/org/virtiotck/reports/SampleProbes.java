package org.virtiotck.reports;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.virtiotck.reports.SampleTargets.OnTargets;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.virtiotck.reports.SampleTargets.MMIO;
import static org.virtiotck.reports.SampleTargets.PCI;

/**
 * Probes with known outcomes, run by {@link ConformanceListenerTest} through its own launcher. The class name keeps
 * Surefire from running it directly (its default includes match *Test, Test*, *Tests and *TestCase only).
 *
 * <p>Expected: PASS 7, FAIL 2, WEDGED 1, SKIP 1 over 5 clauses; see each method.
 */
@ExtendWith(SampleTargets.class)
public class SampleProbes {
    static final String READ_ONLY_LABEL = "Device does not write into <b>read-only</b> descriptors";
    static final String RESET_DETAIL = String.join("\n",
            "expected: reset to complete within 1000 ms",
            "actual: device status still 0x0f after 1000 ms",
            "  status reads: 0x0f 0x0f 0x0f",
            "",
            "  queue 0 still enabled",
            "  queue 1 still enabled",
            "  config generation unchanged");

    /** MMIO only: one PASS, and no cell for the PCI target. */
    @TestTemplate
    @OnTargets(MMIO)
    @Clause(section = "2.7", label = "MMIO magic value reads 0x74726976", level = Level.MUST)
    void magicValue(String target) {
    }

    /** PASS on both. Same section as {@link #descriptorAlignment}; ordered after it by label. */
    @TestTemplate
    @OnTargets({MMIO, PCI})
    @Clause(section = "2.10", label = "Queue size is a power of 2", level = Level.MUST)
    void queueSizePowerOfTwo(String target) {
    }

    /** PASS on both. */
    @TestTemplate
    @OnTargets({MMIO, PCI})
    @Clause(section = "2.10", label = "Descriptor table is 16-byte aligned", level = Level.MUST)
    void descriptorAlignment(String target) {
    }

    /** FAIL on mmio from a plain assertion (no published verdict), PASS on pci. */
    @TestTemplate
    @OnTargets({MMIO, PCI})
    @Clause(section = "2.7.8.1", label = READ_ONLY_LABEL, level = Level.MUST)
    void readOnlyDescriptor(String target) {
        if (target.equals(MMIO)) {
            assertEquals(0, 1, "used.len for a read-only descriptor");
        }
    }

    /** Same clause: PASS on mmio, WEDGED on pci (published verdict wins over the JUnit failure). */
    @TestTemplate
    @OnTargets({MMIO, PCI})
    @Clause(section = "2.7.8.1", label = READ_ONLY_LABEL, level = Level.MUST)
    void readOnlyIndirectDescriptor(String target, TestReporter reporter) {
        if (target.equals(PCI)) {
            reporter.publishEntry(Map.of(ReportKeys.VERDICT, "WEDGED", ReportKeys.DETAIL, "no used buffer within 500 ms"));
            fail("wedged");
        }
    }

    /** SHOULD clause: published FAIL on mmio (the JUnit test itself passes), aborted (SKIP) on pci. */
    @TestTemplate
    @OnTargets({MMIO, PCI})
    @Clause(section = "3.1.1", label = "Device should finish a reset within 1 s", level = Level.SHOULD)
    void resetTime(String target, TestReporter reporter) {
        if (target.equals(PCI)) {
            Assumptions.abort("device does not offer VIRTIO_F_RING_RESET");
        }
        reporter.publishEntry(Map.of(ReportKeys.VERDICT, "FAIL", ReportKeys.DETAIL, RESET_DETAIL));
    }

    /** Not a probe: no @Clause, so not in the report even though it fails. */
    @Test
    void helperCheck() {
        fail("not a probe");
    }
}
