package org.virtiotck.probes.ring;

import static org.virtiotck.driver.blk.BlkRequest.ID_BYTES;
import static org.virtiotck.driver.blk.BlkRequest.SECTOR_SIZE;

import java.util.Arrays;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The len of used elements (VIRTIO 1.2 §2.7.8.2; for packed rings §2.8.4). The device must have written at least
 * len bytes from the start of the writable part; an underestimate is allowed, an overestimate is not.
 */
@ForDevice(DeviceType.BLK)
class UsedRingProbes {
    private static final String NOT_ABOVE = "used len never exceeds the bytes the device wrote";

    /** Bytes the device wrote from the start of the writable part: data bytes no longer poison, then the status. */
    private static long bytesWritten(BlkResult r) {
        int data = 0;
        while (data < r.data().length && r.data()[data] != Allocator.POISON) {
            data++;
        }
        return data < r.data().length ? data : data + (r.statusWritten() ? 1 : 0);
    }

    private static void lenNotAboveWritten(String request, BlkResult r) {
        Check.that(r.usedLen() <= bytesWritten(r), "used len of " + request,
                "at most the " + bytesWritten(r) + " bytes written", "len " + r.usedLen());
    }

    private static BlkResult diskRead(Session session, BlkClient blk) {
        Devices.image(session).write(0, Devices.pattern(4096, 7));
        return blk.read(0, 4096);
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = NOT_ABOVE, level = Level.MUST)
    void usedLenOfIn(Session session) {
        BlkClient blk = Devices.startBlk(session);
        lenNotAboveWritten("a 4096-byte IN", diskRead(session, blk));
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = NOT_ABOVE, level = Level.MUST)
    void usedLenOfOut(Session session) {
        lenNotAboveWritten("a 1024-byte OUT", Devices.startBlk(session).write(2, Devices.pattern(1024, 2)));
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = NOT_ABOVE, level = Level.MUST)
    void usedLenOfFlush(Session session) {
        lenNotAboveWritten("a FLUSH", Devices.startBlk(session).flush());
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = NOT_ABOVE, level = Level.MUST)
    void usedLenOfGetId(Session session) {
        lenNotAboveWritten("a GET_ID", Devices.startBlk(session).getId());
    }

    /** An IN refused with IOERR wrote no data, only the status after it: len must not cover the unwritten data. */
    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = NOT_ABOVE, level = Level.MUST)
    void usedLenOfRefusedIn(Session session) {
        BlkClient blk = Devices.startBlk(session);
        lenNotAboveWritten("an IN of sector " + blk.capacitySectors() + " (= capacity)",
                blk.read(blk.capacitySectors(), SECTOR_SIZE));
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len equals the bytes written (underestimates are meant for error cases only)",
            level = Level.SHOULD)
    void usedLenIsExact(Session session) {
        BlkClient blk = Devices.startBlk(session);
        BlkResult in = diskRead(session, blk);
        BlkResult out = blk.write(2, Devices.pattern(1024, 2));
        BlkResult flush = blk.flush();
        BlkResult id = blk.getId();
        long[] expected = {4097, 1, 1, ID_BYTES + 1};
        long[] observed = {in.usedLen(), out.usedLen(), flush.usedLen(), id.usedLen()};
        Check.equal("used len of IN 4096 / OUT 1024 / FLUSH / GET_ID", Arrays.toString(expected),
                Arrays.toString(observed));
    }
}
