package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkClient;
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
 * A device offering VIRTIO_BLK_F_RO fails every write and changes no data (VIRTIO 1.2 §5.2.6.2). The disk is
 * read back through IN requests, so the probes need no access to the image and run on any target.
 */
@ForDevice(DeviceType.BLK)
class BlkReadOnlyProbes {
    private static final long SECTOR = 7;
    private static final int BYTES = 2 * SECTOR_SIZE;

    private static BlkClient startReadOnly(Session session, Feature... extra) {
        BlkClient blk = Devices.startBlk(session, extra);
        Assumptions.assumeTrue(session.transport().deviceFeatures().has(Feature.BLK_RO), "device without VIRTIO_BLK_F_RO");
        return blk;
    }

    /** Data unlike what the sectors hold, so a write that went through shows. */
    private static byte[] differentFrom(byte[] before) {
        byte[] data = Devices.pattern(before.length, 33);
        for (int i = 0; i < data.length; i++) {
            if (data[i] == before[i]) {
                data[i] = (byte) ~data[i];
            }
        }
        return data;
    }

    private static byte[] readSectors(BlkClient blk) {
        BlkResult r = blk.read(SECTOR, BYTES);
        Check.equal("status of IN of sectors " + SECTOR + "-" + (SECTOR + 1) + " on the read-only device", "OK",
                r.statusName());
        return r.data();
    }

    @Probe
    @Clause(section = "5.2.6.2", label = "with RO offered, OUT completes with IOERR", level = Level.MUST)
    void outIsIoerr(Session session) {
        BlkClient blk = startReadOnly(session);
        BlkResult r = blk.write(SECTOR, Devices.pattern(BYTES, 34));
        Check.equal("status of OUT to sector " + SECTOR + " with VIRTIO_BLK_F_RO offered", "IOERR", r.statusName());
    }

    @Probe
    @Clause(section = "5.2.6.2", label = "with RO offered, OUT leaves the disk unchanged", level = Level.MUST)
    void outLeavesDiskUnchanged(Session session) {
        BlkClient blk = startReadOnly(session);
        byte[] before = readSectors(blk);
        blk.write(SECTOR, differentFrom(before));
        Check.sameBytes("sectors " + SECTOR + "-" + (SECTOR + 1) + " after an OUT to the read-only device", before,
                readSectors(blk));
    }

    /**
     * WRITE_ZEROES writes (zeroes), so a read-only device refuses it too. Where the target gives access to the disk
     * image the sectors are first filled with data there, so that zeroes that went through show.
     */
    @Probe
    @Clause(section = "5.2.6.2", label = "with RO offered, WRITE_ZEROES completes with IOERR and changes no data",
            level = Level.MUST)
    void writeZeroesIsIoerrAndChangesNothing(Session session) {
        BlkClient blk = startReadOnly(session, Feature.BLK_WRITE_ZEROES);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.BLK_WRITE_ZEROES),
                "read-only device without VIRTIO_BLK_F_WRITE_ZEROES");
        session.blkImage().ifPresent(image -> image.write(SECTOR * SECTOR_SIZE, Devices.pattern(BYTES, 35)));
        byte[] before = readSectors(blk);
        String range = "sectors " + SECTOR + "-" + (SECTOR + 1);
        BlkResult r = blk.submit(T_WRITE_ZEROES, 0, rangeSegment(SECTOR, BYTES / SECTOR_SIZE, 0), 0);
        Check.equal("status of WRITE_ZEROES of " + range + " with VIRTIO_BLK_F_RO offered", "IOERR", r.statusName());
        Check.sameBytes(range + " after a WRITE_ZEROES to the read-only device", before, readSectors(blk));
    }
}
