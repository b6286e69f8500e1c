package org.virtiotck.probes.ring;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkConfig;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The descriptors of a packed NEXT-chained list are used in the order the driver made them available (VIRTIO
 * 1.2 §2.8.18). Blk requests whose header and data are each cut into three descriptors of unequal length show
 * the order end to end: a header taken out of order names another request, data an IN scatters out of order
 * lands at the wrong offsets of the sectors read, and data an OUT gathers out of order reaches the disk jumbled.
 */
@ForDevice(DeviceType.BLK)
class ChainOrderProbes {
    private static final String LABEL = "device uses the descriptors of a NEXT-chained list in the order they were made available";
    private static final int SECTORS = 3;
    private static final int BYTES = SECTORS * BlkRequest.SECTOR_SIZE;
    private static final ChainLayout LAYOUT = ChainLayout.SPLIT;

    /** Starts the device on a packed ring that takes requests with this many data segments. */
    private static Virtqueue start(Session session) {
        Devices.startBlk(session);
        VirtioDriver driver = session.driver();
        Virtqueue q = driver.queue(0);
        Assumptions.assumeTrue(q instanceof PackedVirtqueue, "a packed ring clause; this variant uses a split ring");
        int dataPieces = LAYOUT.pieces(BYTES).length;
        if (driver.negotiated().has(Feature.BLK_SEG_MAX)) {
            long segMax = session.transport().readConfig(BlkConfig.SEG_MAX, 4);
            Assumptions.assumeTrue(segMax >= dataPieces, "seg_max " + segMax + " is below the " + dataPieces
                    + " data segments of the request");
        }
        return q;
    }

    /** Sends the request, waits for it, and checks its status; returns what the check calls it. */
    private static String complete(Session session, Virtqueue q, int type, long sector, List<Buffer> data, boolean in) {
        Allocator alloc = session.allocator();
        List<Buffer> readable = new ArrayList<>(LAYOUT.readable(alloc, BlkRequest.header(type, sector)));
        List<Buffer> writable = new ArrayList<>();
        (in ? writable : readable).addAll(data);
        Buffer status = alloc.writable(1);
        writable.add(status);
        q.add(readable, writable, false);
        session.driver().kick(q);
        session.driver().await(q);
        String request = (in ? "IN" : "OUT") + " of sectors " + sector + "-" + (sector + SECTORS - 1) + " with its "
                + "header in " + LAYOUT.pieces(BlkRequest.HEADER_SIZE).length + " and its data in " + data.size()
                + " chained descriptors of " + data.stream().map(b -> String.valueOf(b.length())).toList() + " bytes";
        Check.equal("status of an " + request, BlkRequest.S_OK, alloc.memory().u8(status.address()));
        return request;
    }

    @Probe
    @Clause(section = "2.8.18", label = LABEL, level = Level.MUST)
    void chainedDescriptorsAreUsedInOrder(Session session) {
        long sector = 6;
        byte[] expected = Devices.pattern(BYTES, 21);
        Devices.image(session).write(sector * BlkRequest.SECTOR_SIZE, expected);
        Virtqueue q = start(session);
        Allocator alloc = session.allocator();
        List<Buffer> data = LAYOUT.writable(alloc, BYTES);
        String request = complete(session, q, BlkRequest.T_IN, sector, data, true);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (Buffer b : data) {
            read.writeBytes(alloc.memory().read(b.address(), b.length()));
        }
        Check.sameBytes("data of an " + request + ", read in descriptor order", expected, read.toByteArray());
    }

    @Probe
    @Clause(section = "2.8.18", label = LABEL, level = Level.MUST)
    void chainedOutDescriptorsAreUsedInOrder(Session session) {
        long sector = 9;
        Devices.assumeWritable(session);
        Devices.image(session).write(sector * BlkRequest.SECTOR_SIZE, new byte[BYTES]);
        Virtqueue q = start(session);
        byte[] written = Devices.pattern(BYTES, 22);
        String request = complete(session, q, BlkRequest.T_OUT, sector,
                LAYOUT.readable(session.allocator(), written), false);
        Check.sameBytes("disk contents after an " + request, written,
                Devices.image(session).read(sector * BlkRequest.SECTOR_SIZE, BYTES));
    }
}
