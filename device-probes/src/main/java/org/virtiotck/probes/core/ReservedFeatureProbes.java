package org.virtiotck.probes.core;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** Reserved feature bits a device may offer only where they mean something (VIRTIO 1.2 §6.2). */
class ReservedFeatureProbes {

    @Probe
    @Clause(section = "6.2", label = "device offers SR_IOV only as a PCI device that presents an SR-IOV capability",
            level = Level.MUST)
    void srIovOnlyOnPci(Session session) {
        FeatureSet offered = session.transport().deviceFeatures();
        if (!offered.has(Feature.SR_IOV)) {
            return;
        }
        Check.that(!(session.transport() instanceof MmioTransport), "device features over virtio-mmio",
                "SR_IOV (bit 37) clear: no PCI function, no SR-IOV capability", offered.describe(session.deviceType()));
        Assumptions.abort("device offers SR_IOV over PCI; the driver model reads no extended capabilities to find "
                + "its SR-IOV capability");
    }
}
