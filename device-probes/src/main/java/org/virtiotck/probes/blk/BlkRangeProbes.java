package org.virtiotck.probes.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

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
 * DISCARD, WRITE_ZEROES and SECURE_ERASE (VIRTIO 1.2 §5.2.6, §5.2.6.2): flags the device does not know, and
 * unmap on a DISCARD, are refused with UNSUPP; a completed WRITE_ZEROES reads back as zeroes, unmap or not.
 * A range inside the capacity and the announced limits is served, exactly at them too (see {@link RangeLimits});
 * one that runs past the capacity is refused with IOERR. Each probe SKIPs when its command's feature is not offered.
 */
@ForDevice(DeviceType.BLK)
class BlkRangeProbes {
    private static final String UNKNOWN_FLAG =
            "DISCARD, SECURE_ERASE or WRITE_ZEROES with an unknown flag completes with UNSUPP";
    /** Bit 1 of the segment flags: reserved in VIRTIO 1.2. */
    private static final int RESERVED_FLAG = 1 << 1;
    private static final long ZEROED_SECTOR = 12;
    private static final String WITHIN_LIMITS =
            "DISCARD, WRITE_ZEROES or SECURE_ERASE within the announced segment and sector limits is served";

    private static BlkClient start(Session session, Feature feature) {
        BlkClient blk = Devices.startBlk(session, feature);
        Assumptions.assumeTrue(session.driver().negotiated().has(feature), "device without VIRTIO_" + feature.specName());
        return blk;
    }

    private static BlkResult oneSegment(BlkClient blk, int type, long sector, int sectors, int flags) {
        return blk.submit(type, 0, rangeSegment(sector, sectors, flags), 0);
    }

    /**
     * UNSUPP, as the flag rule asks. On a read-only device the rule that a write request gets IOERR applies as well,
     * and the spec does not order the two, so IOERR is accepted there too; OK (the request carried out) never is.
     */
    private static void checkUnsupp(Session session, String what, BlkResult r) {
        boolean readOnly = session.driver().negotiated().has(Feature.BLK_RO);
        boolean accepted = r.statusName().equals("UNSUPP") || (readOnly && r.statusName().equals("IOERR"));
        Check.that(accepted, "status of " + what, readOnly ? "UNSUPP (or IOERR, the device being read-only)" : "UNSUPP",
                r.statusName());
    }

    private static void unknownFlagIsUnsupp(Session session, Feature feature, int type, String name) {
        BlkResult r = oneSegment(start(session, feature), type, 0, 1, RESERVED_FLAG);
        checkUnsupp(session, name + " of sector 0 with reserved flag bit 1 set", r);
    }

    @Probe
    @Clause(section = "5.2.6.2", label = UNKNOWN_FLAG, level = Level.MUST)
    void discardWithUnknownFlagIsUnsupp(Session session) {
        unknownFlagIsUnsupp(session, Feature.BLK_DISCARD, T_DISCARD, "DISCARD");
    }

    @Probe
    @Clause(section = "5.2.6.2", label = UNKNOWN_FLAG, level = Level.MUST)
    void writeZeroesWithUnknownFlagIsUnsupp(Session session) {
        unknownFlagIsUnsupp(session, Feature.BLK_WRITE_ZEROES, T_WRITE_ZEROES, "WRITE_ZEROES");
    }

    @Probe
    @Clause(section = "5.2.6.2", label = UNKNOWN_FLAG, level = Level.MUST)
    void secureEraseWithUnknownFlagIsUnsupp(Session session) {
        unknownFlagIsUnsupp(session, Feature.BLK_SECURE_ERASE, T_SECURE_ERASE, "SECURE_ERASE");
    }

    @Probe
    @Clause(section = "5.2.6.2", label = "DISCARD with the unmap flag completes with UNSUPP", level = Level.MUST)
    void discardWithUnmapIsUnsupp(Session session) {
        BlkResult r = oneSegment(start(session, Feature.BLK_DISCARD), T_DISCARD, 0, 1, FLAG_UNMAP);
        checkUnsupp(session, "DISCARD of sector 0 with the unmap flag", r);
    }

    /**
     * Fills {@code sectors} sectors from {@code sector} with data, zeroes them with one WRITE_ZEROES segment, and
     * reads them back.
     */
    private static void writeZeroesReadsBackZeroes(BlkClient blk, long sector, int sectors, int flags) {
        int bytes = sectors * SECTOR_SIZE;
        String range = "sectors " + sector + "-" + (sector + sectors - 1);
        Check.equal("status of OUT of " + range, "OK", blk.write(sector, Devices.pattern(bytes, 12)).statusName());
        String what = "WRITE_ZEROES of " + range + (flags == FLAG_UNMAP ? " with unmap" : "");
        Check.equal("status of " + what, "OK", oneSegment(blk, T_WRITE_ZEROES, sector, sectors, flags).statusName());
        BlkResult r = blk.read(sector, bytes);
        Check.equal("status of IN of " + range + " after " + what, "OK", r.statusName());
        Check.sameBytes(range + " after " + what, new byte[bytes], r.data());
    }

    private static void writeZeroesReadsBackZeroes(Session session, int flags) {
        BlkClient blk = start(session, Feature.BLK_WRITE_ZEROES);
        Devices.assumeWritable(session);
        long max = session.transport().readConfig(BlkConfig.MAX_WRITE_ZEROES_SECTORS, 4);
        writeZeroesReadsBackZeroes(blk, ZEROED_SECTOR, (int) Math.max(1, Math.min(4, max)), flags);
    }

    @Probe
    @Clause(section = "5.2.6.2", label = "after WRITE_ZEROES completes, its range reads back as zeroes", level = Level.MUST)
    void writeZeroesReadsBackZeroes(Session session) {
        writeZeroesReadsBackZeroes(session, 0);
    }

    @Probe
    @Clause(section = "5.2.6.2", label = "after WRITE_ZEROES completes, its range reads back as zeroes", level = Level.MUST)
    void writeZeroesWithUnmapReadsBackZeroes(Session session) {
        writeZeroesReadsBackZeroes(session, FLAG_UNMAP);
    }

    /** The last sector is inside the capacity: a device that miscounts the end refuses to zero it. */
    @Probe
    @Clause(section = "5.2.6.2", label = "after WRITE_ZEROES completes, its range reads back as zeroes", level = Level.MUST)
    void writeZeroesOfLastSectorReadsBackZeroes(Session session) {
        BlkClient blk = start(session, Feature.BLK_WRITE_ZEROES);
        Devices.assumeWritable(session);
        writeZeroesReadsBackZeroes(blk, blk.capacitySectors() - 1, 1, 0);
    }

    @Probe
    @Clause(section = "5.2.6", label = "request beyond capacity completes with IOERR", level = Level.MUST)
    void writeZeroesStraddlingEndIsIoerr(Session session) {
        BlkClient blk = start(session, Feature.BLK_WRITE_ZEROES);
        Devices.assumeWritable(session);
        long last = blk.capacitySectors() - 1;
        Check.equal("status of WRITE_ZEROES of 2 sectors from the last sector " + last, "IOERR",
                oneSegment(blk, T_WRITE_ZEROES, last, 2, 0).statusName());
    }

    @Probe
    @Clause(section = "5.2.3", label = WITHIN_LIMITS, level = Level.MUST)
    void discardAtItsLimitsIsServed(Session session) {
        RangeLimits.DISCARD.servedAtLimits(start(session, Feature.BLK_DISCARD), session);
    }

    @Probe
    @Clause(section = "5.2.3", label = WITHIN_LIMITS, level = Level.MUST)
    void writeZeroesAtItsLimitsIsServed(Session session) {
        RangeLimits.WRITE_ZEROES.servedAtLimits(start(session, Feature.BLK_WRITE_ZEROES), session);
    }

    @Probe
    @Clause(section = "5.2.3", label = WITHIN_LIMITS, level = Level.MUST)
    void secureEraseAtItsLimitsIsServed(Session session) {
        RangeLimits.SECURE_ERASE.servedAtLimits(start(session, Feature.BLK_SECURE_ERASE), session);
    }
}
