package org.virtiotck.probes.net;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The ranges §5.1.4.1 sets for the config fields after {@code mtu} (VIRTIO 1.2): {@code max_virtqueue_pairs}
 * with MQ offered, the RSS capabilities with RSS or HASH_REPORT offered, and {@code speed} and {@code duplex} with
 * SPEED_DUPLEX negotiated. Each field exists only with its feature, so each probe ends in SKIP without it.
 */
@ForDevice(DeviceType.NET)
class NetConfigRangeProbes {

    /** Starts the device with the usual features; SKIP when {@code f} is not offered. */
    private static NetPort startOffering(Session session, Feature f) {
        NetPort port = NetPort.start(session);
        Assumptions.assumeTrue(offered(port).has(f), "device without VIRTIO_NET_F_" + f.name().substring(4));
        return port;
    }

    private static FeatureSet offered(NetPort port) {
        return port.transport().deviceFeatures();
    }

    private static long field(NetPort port, int offset, int width) {
        return port.readConsistent(() -> port.transport().readConfig(offset, width));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with MQ offered, max_virtqueue_pairs is between 1 and 0x8000", level = Level.MUST)
    void maxVirtqueuePairsInRange(Session session) {
        NetPort port = startOffering(session, Feature.NET_MQ);
        long pairs = field(port, NetConfig.MAX_VIRTQUEUE_PAIRS, 2);
        Check.that(pairs >= NetConfig.VQ_PAIRS_MIN && pairs <= NetConfig.VQ_PAIRS_MAX,
                "max_virtqueue_pairs with MQ offered", "1 to 0x8000", "0x" + Long.toHexString(pairs));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with RSS or HASH_REPORT offered, rss_max_key_size is at least 40", level = Level.MUST)
    void rssKeySizeAtLeast40(Session session) {
        NetPort port = NetPort.start(session);
        FeatureSet offered = offered(port);
        Assumptions.assumeTrue(offered.has(Feature.NET_RSS) || offered.has(Feature.NET_HASH_REPORT),
                "device offers neither VIRTIO_NET_F_RSS nor VIRTIO_NET_F_HASH_REPORT");
        long size = field(port, NetConfig.RSS_MAX_KEY_SIZE, 1);
        Check.that(size >= NetConfig.RSS_MIN_KEY_SIZE, "rss_max_key_size with " + offered.describe(DeviceType.NET),
                "at least " + NetConfig.RSS_MIN_KEY_SIZE, String.valueOf(size));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with RSS offered, rss_max_indirection_table_length is at least 128", level = Level.MUST)
    void rssIndirectionTableAtLeast128(Session session) {
        NetPort port = NetPort.start(session);
        Assumptions.assumeTrue(offered(port).has(Feature.NET_RSS), "device without VIRTIO_NET_F_RSS");
        long length = field(port, NetConfig.RSS_MAX_INDIRECTION_TABLE_LENGTH, 2);
        Check.that(length >= NetConfig.RSS_MIN_INDIRECTION_TABLE_LENGTH, "rss_max_indirection_table_length with RSS "
                + "offered", "at least " + NetConfig.RSS_MIN_INDIRECTION_TABLE_LENGTH, String.valueOf(length));
    }

    /** The spec prints 0x7ffffffff and 0xfffffffff, one f too many for a 32-bit field; the field's width decides. */
    @Probe
    @Clause(section = "5.1.4.1", label = "with SPEED_DUPLEX, speed is in Mbit/s up to 0x7fffffff, or 0xffffffff for unknown",
            level = Level.MUST)
    void speedInRange(Session session) {
        NetPort port = startNegotiating(session);
        long speed = field(port, NetConfig.SPEED, 4);
        Check.that(speed <= NetConfig.SPEED_MAX || speed == NetConfig.SPEED_UNKNOWN, "speed with SPEED_DUPLEX "
                + "negotiated", "0 to 0x7fffffff, or 0xffffffff", "0x" + Long.toHexString(speed));
    }

    @Probe
    @Clause(section = "5.1.4.1", label = "with SPEED_DUPLEX, duplex is 0x00 (full), 0x01 (half) or 0xff (unknown)",
            level = Level.MUST)
    void duplexInRange(Session session) {
        NetPort port = startNegotiating(session);
        long duplex = field(port, NetConfig.DUPLEX, 1);
        Check.that(duplex == NetConfig.DUPLEX_0 || duplex == NetConfig.DUPLEX_1 || duplex == NetConfig.DUPLEX_UNKNOWN,
                "duplex with SPEED_DUPLEX negotiated", "0x00, 0x01 or 0xff", "0x" + Long.toHexString(duplex));
    }

    /** The speed and duplex clauses apply once SPEED_DUPLEX is negotiated. */
    private static NetPort startNegotiating(Session session) {
        NetPort port = NetPort.start(session, NetPort.FEATURES.with(Feature.NET_SPEED_DUPLEX));
        Assumptions.assumeTrue(port.has(Feature.NET_SPEED_DUPLEX), "device without VIRTIO_NET_F_SPEED_DUPLEX");
        return port;
    }
}
