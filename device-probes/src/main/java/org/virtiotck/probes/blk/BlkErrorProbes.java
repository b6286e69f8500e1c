package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Requests the device must refuse with an error status (VIRTIO 1.2 §5.2.6: IOERR reports a device or driver
 * error, UNSUPP a request the device does not support). Claiming OK for an access that cannot have
 * happened would hand the driver data that does not exist.
 */
@ForDevice(DeviceType.BLK)
class BlkErrorProbes {
    private static final String BEYOND = "request beyond capacity completes with IOERR";

    private static void expectStatus(String request, String expected, BlkResult r) {
        Check.equal("status of " + request, expected, r.statusName());
    }

    @Probe
    @Clause(section = "5.2.6", label = BEYOND, level = Level.MUST)
    void inPastCapacityIsIoerr(Session session) {
        BlkClient blk = Devices.startBlk(session);
        long capacity = blk.capacitySectors();
        expectStatus("IN at sector " + capacity + " (= capacity)", "IOERR", blk.read(capacity, SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "5.2.6", label = BEYOND, level = Level.MUST)
    void inStraddlingEndIsIoerr(Session session) {
        BlkClient blk = Devices.startBlk(session);
        long last = blk.capacitySectors() - 1;
        expectStatus("IN of 2 sectors from the last sector " + last, "IOERR", blk.read(last, 2 * SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "5.2.6", label = BEYOND, level = Level.MUST)
    void outStraddlingEndIsIoerrAndWritesNothing(Session session) {
        BlkClient blk = Devices.startBlk(session);
        Devices.assumeWritable(session);
        long last = blk.capacitySectors() - 1;
        BlkImage image = Devices.image(session);
        byte[] before = image.read(last * SECTOR_SIZE, SECTOR_SIZE);
        expectStatus("OUT of 2 sectors from the last sector " + last, "IOERR", blk.write(last, Devices.pattern(1024, 8)));
        Check.sameBytes("last sector after the refused OUT", before, image.read(last * SECTOR_SIZE, SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "5.2.6", label = "IN or OUT whose data is not a multiple of 512 bytes completes with IOERR",
            level = Level.MUST)
    void partialSectorIsIoerr(Session session) {
        expectStatus("IN of 100 bytes", "IOERR", Devices.startBlk(session).read(0, 100));
    }

    @Probe
    @Clause(section = "5.2.6", label = "unknown request type completes with UNSUPP", level = Level.MUST)
    void unknownTypeIsUnsupp(Session session) {
        expectStatus("request type 0x7f", "UNSUPP", Devices.startBlk(session).submit(0x7f, 0, null, 512));
    }
}
