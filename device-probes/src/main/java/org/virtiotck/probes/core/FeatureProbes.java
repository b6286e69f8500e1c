package org.virtiotck.probes.core;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.NegotiationException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureRequirement;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** Feature negotiation (VIRTIO 1.2 §2.2, §6). */
class FeatureProbes {

    @Probe
    @Clause(section = "6.2", label = "device offers VERSION_1", level = Level.MUST)
    void offersVersion1(Session session) {
        FeatureSet offered = session.transport().deviceFeatures();
        Check.that(offered.has(Feature.VERSION_1), "device features", "VERSION_1 (bit 32) set",
                offered + " = " + offered.describe(session.deviceType()));
    }

    @Probe
    @Clause(section = "2.2.2", label = "device offers no feature whose required features it does not offer too",
            level = Level.MUST)
    void offersNoFeatureWithoutWhatItRequires(Session session) {
        DeviceType type = session.deviceType();
        Assumptions.assumeTrue(type != null, "the device type of " + session.target().canonical() + " is unknown");
        List<FeatureRequirement> rules = FeatureRequirement.of(type);
        Assumptions.assumeFalse(rules.isEmpty(), "VIRTIO 1.2 states no feature that requires another for "
                + type.lowerName() + " devices, nor among the device-independent bits");
        FeatureSet offered = session.transport().deviceFeatures();
        List<FeatureRequirement> broken = rules.stream().filter(r -> r.brokenBy(offered)).toList();
        Check.that(broken.isEmpty(), "device features " + offered + " = " + offered.describe(type),
                "every offered feature offered with what it requires", "offered without: " + broken);
    }

    @Probe
    @Clause(section = "2.2.2", label = "device accepts a valid subset of the features it offers (FEATURES_OK stays set)",
            level = Level.SHOULD)
    void acceptsValidSubsets(Session session) {
        VirtioDriver driver = session.driver();
        FeatureSet offered = session.transport().deviceFeatures();
        for (FeatureSet subset : new FeatureSet[] {FeatureSet.of(Feature.VERSION_1), offered}) {
            try {
                driver.negotiate(subset);
            } catch (NegotiationException e) {
                Check.that(false, "FEATURES_OK after accepting " + subset.describe(session.deviceType()),
                        "FEATURES_OK to stay set", "status " + DeviceStatus.describe(e.statusReadBack()));
            }
        }
    }

    @Probe
    @Clause(section = "2.2.2", label = "device clears FEATURES_OK when the driver accepts a feature it did not offer",
            level = Level.MUST)
    void refusesUnofferedFeature(Session session) {
        Transport t = session.transport();
        session.driver().reset();
        t.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        FeatureSet offered = t.deviceFeatures();
        int bit = 127;
        while (bit >= 50 && offered.has(bit)) {
            bit--;
        }
        FeatureSet accepted = offered.and(FeatureSet.of(Feature.VERSION_1)).with(bit);
        t.setDriverFeatures(accepted);
        t.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        int status = t.status();
        Check.that((status & DeviceStatus.FEATURES_OK) == 0,
                "status after accepting unoffered feature bit " + bit + " (driver features " + accepted + ")",
                "FEATURES_OK clear", DeviceStatus.describe(status));
    }

    @Probe
    @Clause(section = "2.2.2", label = "device accepts the same features again after a reset", level = Level.SHOULD)
    void renegotiatesSameFeaturesAfterReset(Session session) {
        VirtioDriver driver = session.driver();
        FeatureSet first = driver.negotiate(session.transport().deviceFeatures());
        try {
            driver.negotiate(first);
        } catch (NegotiationException e) {
            Check.that(false, "FEATURES_OK on the second negotiation of " + first, "FEATURES_OK to stay set",
                    "status " + DeviceStatus.describe(e.statusReadBack()));
        }
    }
}
