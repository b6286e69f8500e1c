package org.virtiotck.probes.blk;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkConfig;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What a blk device offers and how it initializes its configuration (VIRTIO 1.2 §5.2.5.2): FLUSH always (and
 * necessarily with CONFIG_WCE), {@code writeback} 0 when CONFIG_WCE comes without FLUSH, padding bytes 0.
 */
@ForDevice(DeviceType.BLK)
class BlkFeatureProbes {

    /** The features of a freshly reset device. */
    private static FeatureSet offered(Session session) {
        session.driver().reset();
        return session.transport().deviceFeatures();
    }

    private static String hex(long v) {
        return String.format("0x%02x", v);
    }

    @Probe
    @Clause(section = "5.2.5.2", label = "device offers FLUSH", level = Level.SHOULD)
    void offersFlush(Session session) {
        Check.that(offered(session).has(Feature.BLK_FLUSH), "VIRTIO_BLK_F_FLUSH", "offered", "not offered");
    }

    @Probe
    @Clause(section = "5.2.5.2", label = "device that offers CONFIG_WCE also offers FLUSH", level = Level.MUST)
    void configWceComesWithFlush(Session session) {
        FeatureSet offered = offered(session);
        Assumptions.assumeTrue(offered.has(Feature.BLK_CONFIG_WCE), "device without VIRTIO_BLK_F_CONFIG_WCE");
        Check.that(offered.has(Feature.BLK_FLUSH), "VIRTIO_BLK_F_FLUSH on a device offering CONFIG_WCE", "offered",
                "not offered");
    }

    /**
     * First sets writeback to 1 with CONFIG_WCE and FLUSH negotiated, where the driver may, so a device that
     * keeps the field across a reset shows it; then, with CONFIG_WCE but not FLUSH, the field must read 0.
     */
    @Probe
    @Clause(section = "5.2.5.2", label = "with CONFIG_WCE but not FLUSH negotiated, writeback starts at 0",
            level = Level.MUST)
    void writebackStartsAtZeroWithoutFlush(Session session) {
        Devices.startBlk(session, Feature.BLK_CONFIG_WCE);
        Transport t = session.transport();
        if (session.driver().negotiated().has(Feature.BLK_CONFIG_WCE)) {
            t.writeConfig(BlkConfig.WRITEBACK, 1, 1);
        }
        session.driver().reset();
        session.driver().start(Devices.BLK_FEATURES.with(Feature.BLK_CONFIG_WCE).without(Feature.BLK_FLUSH), 1,
                Devices.QUEUE_SIZE);
        FeatureSet negotiated = session.driver().negotiated();
        Assumptions.assumeTrue(negotiated.has(Feature.BLK_CONFIG_WCE) && !negotiated.has(Feature.BLK_FLUSH),
                "CONFIG_WCE without FLUSH not negotiated (got " + negotiated.describe(DeviceType.BLK) + ")");
        Check.equal("writeback with CONFIG_WCE but not FLUSH negotiated", hex(0),
                hex(t.readConfig(BlkConfig.WRITEBACK, 1)));
    }

    /**
     * With CONFIG_WCE the driver sets the cache mode by writing writeback and learns the actual mode by reading it
     * (§5.2.5): 1 is written first and 0 second, so a device that ignores the writes shows whatever mode it starts in.
     */
    @Probe
    @Clause(section = "5.2.5", label = "with CONFIG_WCE negotiated, writeback reads back the cache mode the driver set",
            level = Level.MUST)
    void writebackReadsBackTheModeSet(Session session) {
        Devices.startBlk(session, Feature.BLK_CONFIG_WCE);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.BLK_CONFIG_WCE),
                "device without VIRTIO_BLK_F_CONFIG_WCE");
        Transport t = session.transport();
        for (int mode : new int[] {1, 0}) {
            t.writeConfig(BlkConfig.WRITEBACK, 1, mode);
            Check.equal("writeback after the driver wrote " + mode, hex(mode), hex(t.readConfig(BlkConfig.WRITEBACK, 1)));
        }
    }

    /**
     * unused0 sits among fields every layout has. unused1 sits between the DISCARD/WRITE_ZEROES fields and the
     * SECURE_ERASE ones, so it is only read when one of those is offered: a device may size its configuration
     * space to the features it offers, and then reads past its end mean nothing.
     */
    @Probe
    @Clause(section = "5.2.5.2", label = "configuration padding unused0 and unused1 reads 0", level = Level.MUST)
    void paddingReadsZero(Session session) {
        FeatureSet offered = offered(session);
        Transport t = session.transport();
        Check.equal("unused0 (config byte " + BlkConfig.UNUSED0 + ")", hex(0), hex(t.readConfig(BlkConfig.UNUSED0, 1)));
        if (offered.has(Feature.BLK_DISCARD) || offered.has(Feature.BLK_WRITE_ZEROES)
                || offered.has(Feature.BLK_SECURE_ERASE)) {
            for (int i = 0; i < BlkConfig.UNUSED1_BYTES; i++) {
                int at = BlkConfig.UNUSED1 + i;
                Check.equal("unused1[" + i + "] (config byte " + at + ")", hex(0), hex(t.readConfig(at, 1)));
            }
        }
    }
}
