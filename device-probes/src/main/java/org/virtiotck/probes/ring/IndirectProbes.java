package org.virtiotck.probes.ring;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.blk.BlkResult;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitDescriptor;
import org.virtiotck.driver.ring.split.UsedElement;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Indirect descriptors and descriptor arrangement (VIRTIO 1.2 §2.7.4.1, §2.7.5.3.2), checked end to end with blk
 * reads against the disk image: the result must not depend on how the driver laid the request out. The two
 * split-only forms are written with the raw ring layer, since a well-behaved driver never mixes them.
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

    /** A split queue driven through the raw layer only: the probe writes every descriptor itself. */
    private static RawSplitRing rawQueue(Session session) {
        VirtioDriver driver = session.driver();
        Assumptions.assumeFalse(session.target().ring().equals("packed"), "a split-ring clause");
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        Assumptions.assumeTrue(driver.negotiated().has(Feature.INDIRECT_DESC), "device or target without INDIRECT_DESC");
        int size = Math.min(Devices.QUEUE_SIZE, Integer.highestOneBit(Math.max(1, session.transport().queueMaxSize(0))));
        RawSplitRing raw = RawSplitRing.allocate(driver.allocator(), size);
        session.transport().configureQueue(0, size, raw.descriptorArea(), raw.driverArea(), raw.deviceArea());
        session.transport().setQueueReady(0, true);
        driver.driverOk();
        return raw;
    }

    /** Publishes head 0, notifies, and waits for the used entry. */
    private static UsedElement complete(Session session, RawSplitRing raw) {
        raw.availEntry(0, 0);
        raw.publishAvailIdx(1);
        session.transport().notifyQueue(0);
        Deadline d = session.driver().deadline();
        for (int attempt = 0; raw.usedIdx() == 0; attempt++) {
            d.check("complete the request on queue 0");
            Deadline.pause(attempt);
        }
        return raw.usedElement(0);
    }

    private static void checkRead(Session session, UsedElement used, Buffer data, Buffer status, byte[] sector) {
        Check.equal("used id", 0L, used.id());
        Check.equal("status byte", BlkRequest.S_OK, session.memory().u8(status.address()));
        Check.sameBytes("data read", sector, session.memory().read(data.address(), data.length()));
        Check.that(used.len() <= BlkRequest.SECTOR_SIZE + 1, "used len", "at most 513", "len " + used.len());
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
            byte[] sector = Devices.pattern(BlkRequest.SECTOR_SIZE, seed);
            Devices.image(session).write(SECTOR * BlkRequest.SECTOR_SIZE, sector);
            RawSplitRing raw = rawQueue(session);
            Allocator alloc = session.allocator();
            return new RawRead(session, raw, alloc.readable(BlkRequest.header(BlkRequest.T_IN, SECTOR)),
                    alloc.writable(BlkRequest.SECTOR_SIZE), alloc.writable(1), sector);
        }

        long table(Buffer... entries) {
            return IndirectProbes.table(session.allocator(), entries);
        }

        void completeAndCheck() {
            checkRead(session, complete(session, raw), data, status, sector);
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
}
