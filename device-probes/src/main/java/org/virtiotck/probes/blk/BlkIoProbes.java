package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** Well-formed virtio-blk requests and their data, checked end to end against the disk image (VIRTIO 1.2 §5.2.6). */
@ForDevice(DeviceType.BLK)
class BlkIoProbes {
    private static final String DATA = "IN returns the data at the sector; OUT stores it there";

    @Probe
    @Clause(section = "5.2.6", label = DATA, level = Level.MUST)
    void inReturnsDiskData(Session session) {
        BlkClient blk = Devices.startBlk(session);
        byte[] disk = Devices.pattern(1024, 5);
        Devices.image(session).write(5 * SECTOR_SIZE, disk);
        BlkResult r = blk.read(5, 1024);
        Check.equal("status of IN sector 5", "OK", r.statusName());
        Check.sameBytes("data of IN sectors 5-6", disk, r.data());
    }

    /** The last sector is inside the capacity: a device that miscounts the end refuses it (an off-by-one). */
    @Probe
    @Clause(section = "5.2.6", label = DATA, level = Level.MUST)
    void lastSectorIsServed(Session session) {
        BlkClient blk = Devices.startBlk(session);
        long last = blk.capacitySectors() - 1;
        byte[] disk = Devices.pattern(SECTOR_SIZE, 6);
        Devices.image(session).write(last * SECTOR_SIZE, disk);
        BlkResult r = blk.read(last, SECTOR_SIZE);
        Check.equal("status of IN of the last sector " + last, "OK", r.statusName());
        Check.sameBytes("data of IN of the last sector " + last, disk, r.data());
    }

    @Probe
    @Clause(section = "5.2.6", label = DATA, level = Level.MUST)
    void outThenInRoundTrip(Session session) {
        BlkClient blk = Devices.startBlk(session);
        Devices.assumeWritable(session);
        byte[] data = Devices.pattern(1536, 9);
        Check.equal("status of OUT sectors 9-11", "OK", blk.write(9, data).statusName());
        Check.sameBytes("disk image after OUT at sector 9", data, Devices.image(session).read(9 * SECTOR_SIZE, 1536));
        Check.sameBytes("IN of sectors 9-11 after OUT", data, blk.read(9, 1536).data());
    }

    @Probe
    @Clause(section = "5.2.6", label = "FLUSH completes with OK when FLUSH is offered", level = Level.MUST)
    void flushCompletesOk(Session session) {
        BlkClient blk = Devices.startBlk(session);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.BLK_FLUSH), "device does not offer BLK_F_FLUSH");
        Check.equal("status of FLUSH", "OK", blk.flush().statusName());
    }

    @Probe
    @Clause(section = "5.2.6", label = "status byte is the last device-writable byte of the request", level = Level.MUST)
    void statusIsLastWritableByte(Session session) {
        BlkClient blk = Devices.startBlk(session);
        byte[] disk = Devices.pattern(512, 4);
        BlkImage image = Devices.image(session);
        image.write(0, disk);
        BlkResult r = blk.read(0, 512);
        Check.equal("byte after the data (the status)", "OK", r.statusName());
        Check.sameBytes("data before the status byte", disk, r.data());
    }

    @Probe
    @Clause(section = "5.2.6", label = "GET_ID returns the serial as ASCII, NUL-padded to 20 bytes", level = Level.MUST)
    void getIdIsNulPaddedAscii(Session session) {
        BlkResult r = Devices.startBlk(session).getId();
        Check.equal("status of GET_ID", "OK", r.statusName());
        byte[] id = r.data();
        int end = 0;
        while (end < id.length && id[end] != 0) {
            Check.that(id[end] >= 0x20 && id[end] < 0x7f, "GET_ID byte " + end, "printable ASCII",
                    String.format("0x%02x", id[end] & 0xff));
            end++;
        }
        for (int i = end; i < id.length; i++) {
            Check.that(id[i] == 0, "GET_ID byte " + i + " after the serial \""
                    + new String(id, 0, end, StandardCharsets.US_ASCII) + "\"", "NUL padding",
                    String.format("0x%02x", id[i] & 0xff));
        }
    }
}
