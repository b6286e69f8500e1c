package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.SECTOR_SIZE;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkConfig;
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
 * seg_max and size_max (VIRTIO 1.2 §5.2.3) bound what a driver may send, so a request at the bound must be served
 * like any other: an IN cut at the limit returns the same data as plain one-sector INs of the same sectors.
 */
@ForDevice(DeviceType.BLK)
class BlkSegmentLimitProbes {
    private static final String WITHIN = "IN or OUT within the announced seg_max and size_max is served";
    /** Larger segments prove nothing more and would need a larger disk. */
    private static final int LARGEST_SEGMENT = 16 * 1024;

    private static BlkClient start(Session session, Feature limit) {
        BlkClient blk = Devices.startBlk(session);
        Assumptions.assumeTrue(session.driver().negotiated().has(limit), "device without VIRTIO_" + limit.specName());
        return blk;
    }

    /** The sectors from 0 read one IN per sector: the reference for the data of the cut-up IN. */
    private static byte[] sectorBySector(BlkClient blk, int bytes) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (int s = 0; s < bytes / SECTOR_SIZE; s++) {
            BlkResult r = blk.read(s, SECTOR_SIZE);
            Check.equal("status of IN of sector " + s, "OK", r.statusName());
            data.writeBytes(r.data());
        }
        return data.toByteArray();
    }

    private static void servedLike(BlkClient blk, String what, BlkResult r) {
        Check.equal("status of " + what, "OK", r.statusName());
        Check.sameBytes("data of " + what, sectorBySector(blk, r.data().length), r.data());
    }

    /** A queue of QUEUE_SIZE descriptors holds at most that many less the header and status as data segments. */
    @Probe
    @Clause(section = "5.2.3", label = WITHIN, level = Level.MUST)
    void inWithSegMaxSegmentsIsServed(Session session) {
        BlkClient blk = start(session, Feature.BLK_SEG_MAX);
        long segMax = session.transport().readConfig(BlkConfig.SEG_MAX, 4);
        Assumptions.assumeTrue(segMax > 1, "seg_max is " + segMax);
        int segments = (int) Math.min(segMax, Devices.QUEUE_SIZE - 2);
        servedLike(blk, "IN of sectors 0-" + (segments - 1) + " in " + segments + " one-sector segments (seg_max "
                + segMax + ")", blk.readInSegments(0, segments, SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "5.2.3", label = WITHIN, level = Level.MUST)
    void inWithOneSegmentOfSizeMaxIsServed(Session session) {
        BlkClient blk = start(session, Feature.BLK_SIZE_MAX);
        long sizeMax = session.transport().readConfig(BlkConfig.SIZE_MAX, 4);
        int bytes = (int) (Math.min(sizeMax, LARGEST_SEGMENT) / SECTOR_SIZE * SECTOR_SIZE);
        Assumptions.assumeTrue(bytes > 0, "size_max " + sizeMax + " is less than a sector");
        servedLike(blk, "IN of " + bytes + " bytes in one segment (size_max " + sizeMax + ")",
                blk.readInSegments(0, 1, bytes));
    }
}
