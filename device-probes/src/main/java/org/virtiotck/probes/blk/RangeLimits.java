package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkConfig;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;

/**
 * The limits a blk device announces for one of DISCARD, WRITE_ZEROES and SECURE_ERASE (VIRTIO 1.2 §5.2.4): segments
 * per request, sectors per segment, and the alignment a driver splits on. They bound what the driver may send, so
 * a request exactly at them must be served; the probe sends one, where an off-by-one in the device's check shows.
 */
enum RangeLimits {
    DISCARD(T_DISCARD, "DISCARD", BlkConfig.MAX_DISCARD_SEG, BlkConfig.MAX_DISCARD_SECTORS,
            BlkConfig.DISCARD_SECTOR_ALIGNMENT),
    WRITE_ZEROES(T_WRITE_ZEROES, "WRITE_ZEROES", BlkConfig.MAX_WRITE_ZEROES_SEG, BlkConfig.MAX_WRITE_ZEROES_SECTORS,
            RangeLimits.NO_ALIGNMENT),
    SECURE_ERASE(T_SECURE_ERASE, "SECURE_ERASE", BlkConfig.MAX_SECURE_ERASE_SEG, BlkConfig.MAX_SECURE_ERASE_SECTORS,
            BlkConfig.SECURE_ERASE_SECTOR_ALIGNMENT);

    /** WRITE_ZEROES has no alignment field. */
    private static final int NO_ALIGNMENT = -1;
    /** Larger limits prove nothing more and cost disk and guest memory: they are probed at these caps. */
    private static final int MOST_SEGMENTS = 64;
    private static final long MOST_SECTORS = 2048;

    private final int type;
    private final String name;
    private final int maxSegAt;
    private final int maxSectorsAt;
    private final int alignmentAt;

    RangeLimits(int type, String name, int maxSegAt, int maxSectorsAt, int alignmentAt) {
        this.type = type;
        this.name = name;
        this.maxSegAt = maxSegAt;
        this.maxSectorsAt = maxSectorsAt;
        this.alignmentAt = alignmentAt;
    }

    /**
     * Sends max_seg segments of one alignment unit each, apart from each other, then one segment of max_sectors
     * (rounded down to the alignment); both must complete with OK, and WRITE_ZEROES must have zeroed what it
     * covered. All three commands change data, so a read-only device SKIPs.
     */
    void servedAtLimits(BlkClient blk, Session session) {
        Devices.assumeWritable(session);
        Transport t = session.transport();
        long maxSeg = t.readConfig(maxSegAt, 4);
        long maxSectors = t.readConfig(maxSectorsAt, 4);
        long alignment = alignmentAt == NO_ALIGNMENT ? 1 : Math.max(1, t.readConfig(alignmentAt, 4));
        long capacity = blk.capacitySectors();
        Assumptions.assumeTrue(maxSeg > 0 && maxSectors > 0, name + " limits max_seg " + maxSeg + ", max_sectors "
                + maxSectors + " leave no request to send");
        long each = Math.min(alignment, maxSectors);
        int segments = (int) Math.min(Math.min(maxSeg, MOST_SEGMENTS), capacity / (2 * alignment));
        Assumptions.assumeTrue(segments > 0, "the disk of " + capacity + " sectors has no room for " + name
                + " segments aligned to " + alignment);
        long[] starts = new long[segments];
        for (int i = 0; i < segments; i++) {
            starts[i] = i * 2 * alignment;
        }
        served(blk, segments + " segments of " + each + " sectors (max_seg " + maxSeg + ")", starts, each);
        long sectors = Math.min(Math.min(maxSectors, MOST_SECTORS), capacity);
        sectors = sectors >= alignment ? sectors / alignment * alignment : sectors;
        served(blk, "one segment of " + sectors + " sectors (max_sectors " + maxSectors + ")", new long[] {0}, sectors);
    }

    private void served(BlkClient blk, String shape, long[] starts, long sectors) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (long start : starts) {
            data.writeBytes(rangeSegment(start, (int) sectors, 0));
            if (this == WRITE_ZEROES) {
                fill(blk, start);
                fill(blk, start + sectors - 1);
            }
        }
        String what = name + " in " + shape + " from sector " + starts[0];
        Check.equal("status of " + what, "OK", blk.submit(type, 0, data.toByteArray(), 0).statusName());
        if (this == WRITE_ZEROES) {
            for (long start : starts) {
                readsZeroes(blk, start, what);
                readsZeroes(blk, start + sectors - 1, what);
            }
        }
    }

    private static void fill(BlkClient blk, long sector) {
        Check.equal("status of OUT of sector " + sector, "OK",
                blk.write(sector, Devices.pattern(SECTOR_SIZE, (int) sector)).statusName());
    }

    private static void readsZeroes(BlkClient blk, long sector, String what) {
        BlkResult r = blk.read(sector, SECTOR_SIZE);
        Check.equal("status of IN of sector " + sector + " after " + what, "OK", r.statusName());
        Check.sameBytes("sector " + sector + " after " + what, new byte[SECTOR_SIZE], r.data());
    }
}
