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
    /**
     * Larger segments prove nothing more and need more guest memory: a size_max up to this is probed at exactly its
     * value, where an off-by-one in the device's check shows.
     */
    private static final int LARGEST_SEGMENT = 256 * 1024;
    /** The request queue size asked for: enough for the seg_max of common devices (queue size less 2). */
    private static final int SEG_MAX_QUEUE_SIZE = 1024;

    private static BlkClient start(Session session, Feature limit, int maxQueueSize) {
        BlkClient blk = Devices.startBlk(session, maxQueueSize);
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

    /**
     * A chain may be as long as the queue (§2.7.5.3.1), so the driver may send seg_max data segments, up to the queue size
     * less the header and status: the probe asks for a queue that large and sends exactly that many.
     */
    @Probe
    @Clause(section = "5.2.3", label = WITHIN, level = Level.MUST)
    void inWithSegMaxSegmentsIsServed(Session session) {
        BlkClient blk = start(session, Feature.BLK_SEG_MAX, SEG_MAX_QUEUE_SIZE);
        long segMax = session.transport().readConfig(BlkConfig.SEG_MAX, 4);
        Assumptions.assumeTrue(segMax > 1, "seg_max is " + segMax);
        int queueSize = session.driver().queue(0).size();
        int segments = (int) Math.min(Math.min(segMax, queueSize - 2), blk.capacitySectors());
        servedLike(blk, "IN of sectors 0-" + (segments - 1) + " in " + segments + " one-sector segments (seg_max "
                + segMax + ", queue size " + queueSize + ")", blk.readInSegments(0, segments, SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "5.2.3", label = WITHIN, level = Level.MUST)
    void inWithOneSegmentOfSizeMaxIsServed(Session session) {
        BlkClient blk = start(session, Feature.BLK_SIZE_MAX, Devices.QUEUE_SIZE);
        long sizeMax = session.transport().readConfig(BlkConfig.SIZE_MAX, 4);
        long diskBytes = blk.capacitySectors() * SECTOR_SIZE;
        int bytes = (int) (Math.min(Math.min(sizeMax, LARGEST_SEGMENT), diskBytes) / SECTOR_SIZE * SECTOR_SIZE);
        Assumptions.assumeTrue(bytes > 0, "size_max " + sizeMax + " is less than a sector");
        servedLike(blk, "IN of " + bytes + " bytes in one segment (size_max " + sizeMax + ")",
                blk.readInSegments(0, 1, bytes));
    }
}
