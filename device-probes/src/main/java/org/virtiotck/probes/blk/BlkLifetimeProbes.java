package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * GET_LIFETIME (VIRTIO 1.2 §5.2.6): pre_eol_info is 0..3 and both lifetime estimates 0..11, all other values
 * being reserved. Only a device with lifetime metrics offers LIFETIME, so the probe SKIPs on most devices.
 */
@ForDevice(DeviceType.BLK)
class BlkLifetimeProbes {
    private static final int PRE_EOL_INFO_MAX = 3;
    private static final int LIFETIME_EST_MAX = 11;

    @Probe
    @Clause(section = "5.2.6.2", label = "GET_LIFETIME returns no reserved value", level = Level.MUST)
    void lifetimeHasNoReservedValue(Session session) {
        var blk = Devices.startBlk(session, Feature.BLK_LIFETIME);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.BLK_LIFETIME), "device without VIRTIO_BLK_F_LIFETIME");
        BlkResult r = blk.submit(T_GET_LIFETIME, 0, null, LIFETIME_BYTES);
        Check.equal("status of GET_LIFETIME with VIRTIO_BLK_F_LIFETIME negotiated", "OK", r.statusName());
        ByteBuffer b = ByteBuffer.wrap(r.data()).order(ByteOrder.LITTLE_ENDIAN);
        int preEol = Short.toUnsignedInt(b.getShort(0));
        Check.that(preEol <= PRE_EOL_INFO_MAX, "pre_eol_info", "0.." + PRE_EOL_INFO_MAX, String.valueOf(preEol));
        for (int i = 0; i < 2; i++) {
            int est = Short.toUnsignedInt(b.getShort(2 + 2 * i));
            Check.that(est <= LIFETIME_EST_MAX, "device_lifetime_est_typ_" + (char) ('a' + i), "0.." + LIFETIME_EST_MAX,
                    String.valueOf(est));
        }
    }
}
