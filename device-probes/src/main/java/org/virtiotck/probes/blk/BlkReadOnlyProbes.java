package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.SECTOR_SIZE;

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

    private static BlkClient startReadOnly(Session session) {
        BlkClient blk = Devices.startBlk(session);
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
}
