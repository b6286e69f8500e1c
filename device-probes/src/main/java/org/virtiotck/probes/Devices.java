package org.virtiotck.probes;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Session;

/** Brings a session's device to DRIVER_OK the way most probes need it, with the features the driver model implements. */
public final class Devices {
    /**
     * Features the driver accepts when offered: the ring features the driver model implements, and the blk
     * features that change no request format it does not implement, and RING_RESET, which the driver drops again
     * on a transport that cannot reset a queue (VirtioDriver#negotiate). The ring layout (RING_PACKED) is the target's
     * {@code ring=} choice; {@code features=-X} takes any of these away.
     */
    /**
     * What the driver model supports on any device: only device-independent bits. Device-specific features share
     * bit numbers across types (bit 1 is BLK_F_SIZE_MAX on blk, CONSOLE_F_MULTIPORT on a console and
     * NET_F_GUEST_CSUM on net), so they are added per device type: {@link #BLK_FEATURES}, NetPort, ConsolePort.
     */
    public static final FeatureSet DRIVER_SUPPORTS = FeatureSet.of(Feature.VERSION_1,
            Feature.INDIRECT_DESC, Feature.EVENT_IDX, Feature.IN_ORDER, Feature.RING_RESET);

    /** The blk features the driver model supports, on top of the device-independent ones. */
    public static final FeatureSet BLK_FEATURES = DRIVER_SUPPORTS.with(Feature.BLK_RO).with(Feature.BLK_FLUSH)
            .with(Feature.BLK_BLK_SIZE).with(Feature.BLK_SEG_MAX).with(Feature.BLK_SIZE_MAX);

    public static final int QUEUE_SIZE = 64;

    private Devices() {
    }

    /** Ends the probe in SKIP on a read-only blk device (BLK_F_RO offered), which refuses every write (§5.2.6.2). */
    public static void assumeWritable(Session session) {
        Assumptions.assumeFalse(session.transport().deviceFeatures().has(Feature.BLK_RO), "device is read-only");
    }

    /**
     * Starts the session's device with one request queue, or aborts the probe (SKIP) if it is not a blk device.
     * {@code extra} features are accepted too when offered (request types such as DISCARD that only some probes
     * send); the probe checks what was negotiated.
     */
    public static BlkClient startBlk(Session session, Feature... extra) {
        return startBlk(session, QUEUE_SIZE, extra);
    }

    /** {@link #startBlk(Session, Feature...)} with a request queue of up to {@code maxQueueSize} descriptors. */
    public static BlkClient startBlk(Session session, int maxQueueSize, Feature... extra) {
        FeatureSet wanted = BLK_FEATURES;
        for (Feature f : extra) {
            wanted = wanted.with(f);
        }
        session.driver().start(wanted, 1, maxQueueSize);
        return new BlkClient(session.driver());
    }

    /** The disk behind the device, needed for end-to-end data checks. */
    public static BlkImage image(Session session) {
        return session.blkImage().orElseGet(() -> {
            Assumptions.abort("target " + session.target().canonical() + " gives no access to the disk image");
            return null;
        });
    }

    /**
     * A recognisable data pattern that never contains the allocator's poison byte, so a byte left unwritten
     * by the device can always be told from a byte it wrote.
     */
    public static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            int v = (i * 31 + seed * 17 + (i >>> 9)) & 0xff;
            b[i] = (byte) (v == 0xa5 ? 0x5a : v);
        }
        return b;
    }
}
