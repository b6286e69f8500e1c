package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitDescriptor;
import org.virtiotck.driver.ring.split.UsedElement;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Indirect descriptors and descriptor arrangement (VIRTIO 1.2 §2.7.4.1, §2.7.5.3.2), checked end to end with blk
 * reads against the disk image: the result must not depend on how the driver laid the request out. The forms a
 * well-behaved driver never produces (direct descriptors before an indirect one, WRITE on the descriptor naming
 * a table; packed §2.8.7 for the latter) are written with the raw ring layer.
 */
@ForDevice(DeviceType.BLK)
class IndirectProbes {
    private static final int SECTOR = 3;

    private static BlkResult read(VirtioDriver driver, boolean indirect) {
        Allocator alloc = driver.allocator();
        Buffer data = alloc.writable(BlkRequest.SECTOR_SIZE);
        Buffer status = alloc.writable(1);
        var c = driver.queue(0).add(List.of(alloc.readable(BlkRequest.header(BlkRequest.T_IN, SECTOR))),
                List.of(data, status), indirect);
        driver.kick(driver.queue(0));
        var done = driver.await(driver.queue(0));
        Check.equal("completed chain", c.head(), done.chain().head());
        return new BlkResult(alloc.memory().u8(status.address()), alloc.memory().read(data.address(), data.length()), done);
    }

    @Probe
    @Clause(section = "2.7.4.1", label = "device gives the same result however the driver arranges a request's descriptors",
            level = Level.MUST)
    void directAndIndirectLayoutsGiveTheSameRead(Session session) {
        byte[] sector = Devices.pattern(BlkRequest.SECTOR_SIZE, 11);
        Devices.image(session).write(SECTOR * BlkRequest.SECTOR_SIZE, sector);
        Devices.startBlk(session);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.INDIRECT_DESC),
                "device or target without INDIRECT_DESC");
        for (boolean indirect : new boolean[] {false, true}) {
            BlkResult r = read(session.driver(), indirect);
            String how = indirect ? "through an indirect table" : "as direct descriptors";
            Check.equal("status of a one-sector read " + how, BlkRequest.S_OK, r.status());
            Check.sameBytes("data of a one-sector read " + how, sector, r.data());
            Check.equal("used len of a one-sector read " + how, (long) BlkRequest.SECTOR_SIZE + 1, r.usedLen());
        }
    }

    /**
     * Negotiates for a raw queue 0 of the variant's layout, which must be {@code ring}, and returns its size; the
     * caller allocates the raw ring, configures it, and sets DRIVER_OK.
     */
    private static int rawQueueSize(Session session, String ring) {
        Assumptions.assumeTrue(session.target().ring().equals(ring), "a " + ring + "-ring clause");
        session.driver().negotiate(Devices.DRIVER_SUPPORTS);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.INDIRECT_DESC),
                "device or target without INDIRECT_DESC");
        return Math.min(Devices.QUEUE_SIZE, Integer.highestOneBit(Math.max(1, session.transport().queueMaxSize(0))));
    }

    private static void goLive(Session session, long desc, long driverArea, long deviceArea, int size) {
        session.transport().configureQueue(0, size, desc, driverArea, deviceArea);
        session.transport().setQueueReady(0, true);
        session.driver().driverOk();
    }

    /** A split queue driven through the raw layer only: the probe writes every descriptor itself. */
    private static RawSplitRing rawQueue(Session session) {
        int size = rawQueueSize(session, "split");
        RawSplitRing raw = RawSplitRing.allocate(session.driver().allocator(), size);
        goLive(session, raw.descriptorArea(), raw.driverArea(), raw.deviceArea(), size);
        return raw;
    }

    /** Publishes head 0, notifies, and waits for the used entry. */
    private static UsedElement complete(Session session, RawSplitRing raw) {
        raw.availEntry(0, 0);
        raw.publishAvailIdx(1);
        session.transport().notifyQueue(0);
        awaitUsed(session, () -> raw.usedIdx() != 0);
        return raw.usedElement(0);
    }

    /**
     * Waits until {@code used} holds. The request is valid, so a device that flags DEVICE_NEEDS_RESET instead
     * refused it: a FAIL of the probe's clause, not a wedged device.
     */
    private static void awaitUsed(Session session, BooleanSupplier used) {
        Deadline d = session.driver().deadline();
        for (int attempt = 0; !used.getAsBoolean(); attempt++) {
            if (attempt % 64 == 0) {
                int status = session.transport().status();
                Check.that((status & DeviceStatus.DEVICE_NEEDS_RESET) == 0, "device status with the request outstanding",
                        "no DEVICE_NEEDS_RESET: the request is valid", DeviceStatus.describe(status));
            }
            d.check("complete the request on queue 0");
            Deadline.pause(attempt);
        }
    }

    private static void checkRead(Session session, long usedId, long usedLen, Buffer data, Buffer status,
                                  byte[] sector) {
        Check.equal("used id", 0L, usedId);
        Check.equal("status byte", BlkRequest.S_OK, session.memory().u8(status.address()));
        Check.sameBytes("data read", sector, session.memory().read(data.address(), data.length()));
        Check.that(usedLen <= BlkRequest.SECTOR_SIZE + 1, "used len", "at most 513", "len " + usedLen);
    }

    private static byte[] sectorOnImage(Session session, int seed) {
        byte[] sector = Devices.pattern(BlkRequest.SECTOR_SIZE, seed);
        Devices.image(session).write(SECTOR * BlkRequest.SECTOR_SIZE, sector);
        return sector;
    }

    private static long table(Allocator alloc, Buffer... entries) {
        long at = alloc.ring(16 * entries.length, 16);
        for (int i = 0; i < entries.length; i++) {
            Buffer b = entries[i];
            boolean last = i == entries.length - 1;
            new SplitDescriptor(b.address(), b.length(), (last ? 0 : F_NEXT) | (b.deviceWritable() ? F_WRITE : 0),
                    last ? 0 : i + 1).write(alloc.memory(), at + 16L * i);
        }
        return at;
    }

    /** A one-sector read the probe lays out by hand on a raw split queue, and the sector it must return. */
    private record RawRead(Session session, RawSplitRing raw, Buffer header, Buffer data, Buffer status, byte[] sector) {

        static RawRead prepare(Session session, int seed) {
            byte[] sector = sectorOnImage(session, seed);
            RawSplitRing raw = rawQueue(session);
            Allocator alloc = session.allocator();
            return new RawRead(session, raw, alloc.readable(BlkRequest.header(BlkRequest.T_IN, SECTOR)),
                    alloc.writable(BlkRequest.SECTOR_SIZE), alloc.writable(1), sector);
        }

        long table(Buffer... entries) {
            return IndirectProbes.table(session.allocator(), entries);
        }

        void completeAndCheck() {
            UsedElement used = complete(session, raw);
            checkRead(session, used.id(), used.len(), data, status, sector);
        }
    }

    @Probe
    @Clause(section = "2.7.5.3.2", label = "device handles direct descriptors followed by one indirect descriptor",
            level = Level.MUST)
    void directDescriptorsThenAnIndirectOne(Session session) {
        RawRead r = RawRead.prepare(session, 12);
        r.raw().descriptor(0, new SplitDescriptor(r.header().address(), r.header().length(), F_NEXT, 1));
        r.raw().descriptor(1, new SplitDescriptor(r.table(r.data(), r.status()), 32, F_INDIRECT, 0));
        r.completeAndCheck();
    }

    @Probe
    @Clause(section = "2.7.5.3.2", label = "device ignores the WRITE flag of a descriptor that refers to an indirect table",
            level = Level.MUST)
    void writeFlagOnTheTableDescriptorIsIgnored(Session session) {
        RawRead r = RawRead.prepare(session, 13);
        r.raw().descriptor(0, new SplitDescriptor(r.table(r.header(), r.data(), r.status()), 48, F_INDIRECT | F_WRITE, 0));
        r.completeAndCheck();
    }

    @Probe
    @Clause(section = "2.8.7", label = "device ignores the WRITE flag of a descriptor that refers to an indirect table",
            level = Level.MUST)
    void writeFlagOnThePackedTableDescriptorIsIgnored(Session session) {
        byte[] sector = sectorOnImage(session, 14);
        int size = rawQueueSize(session, "packed");
        Allocator alloc = session.allocator();
        RawPackedRing raw = RawPackedRing.allocate(alloc, size);
        goLive(session, raw.descriptorArea(), raw.driverArea(), raw.deviceArea(), size);
        Buffer header = alloc.readable(BlkRequest.header(BlkRequest.T_IN, SECTOR));
        Buffer data = alloc.writable(BlkRequest.SECTOR_SIZE);
        Buffer status = alloc.writable(1);
        Buffer[] entries = {header, data, status};
        long table = alloc.ring(PackedLayout.DESC_SIZE * entries.length, PackedLayout.DESC_SIZE);
        for (int i = 0; i < entries.length; i++) {
            Buffer b = entries[i];
            new PackedDescriptor(b.address(), b.length(), 0, b.deviceWritable() ? PackedLayout.F_WRITE : 0)
                    .write(alloc.memory(), table + (long) PackedLayout.DESC_SIZE * i);
        }
        // Buffer id 0 in the first lap: the ring descriptor's flags carry AVAIL 1, USED 0.
        raw.publish(0, new PackedDescriptor(table, (long) PackedLayout.DESC_SIZE * entries.length, 0,
                PackedLayout.F_INDIRECT | PackedLayout.F_WRITE | PackedLayout.availBits(true)));
        session.transport().notifyQueue(0);
        awaitUsed(session, () -> PackedLayout.isUsed(raw.flags(0), true));
        PackedDescriptor used = raw.descriptor(0);
        checkRead(session, used.id(), used.len(), data, status, sector);
    }
}
