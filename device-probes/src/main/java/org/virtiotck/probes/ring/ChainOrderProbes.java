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
 * 1.2 §2.8.18). A blk read whose header and data are each cut into three descriptors of unequal length shows
 * the order end to end: a header taken out of order names another request, and data scattered out of order
 * lands at the wrong offsets of the sectors read back.
 */
@ForDevice(DeviceType.BLK)
class ChainOrderProbes {
    private static final int FIRST_SECTOR = 6;
    private static final int SECTORS = 3;

    @Probe
    @Clause(section = "2.8.18", label = "device uses the descriptors of a NEXT-chained list in the order they were made available",
            level = Level.MUST)
    void chainedDescriptorsAreUsedInOrder(Session session) {
        byte[] expected = Devices.pattern(SECTORS * BlkRequest.SECTOR_SIZE, 21);
        Devices.image(session).write((long) FIRST_SECTOR * BlkRequest.SECTOR_SIZE, expected);
        Devices.startBlk(session);
        VirtioDriver driver = session.driver();
        Virtqueue q = driver.queue(0);
        Assumptions.assumeTrue(q instanceof PackedVirtqueue, "a packed ring clause; this variant uses a split ring");
        ChainLayout layout = ChainLayout.SPLIT;
        int dataPieces = layout.pieces(expected.length).length;
        if (driver.negotiated().has(Feature.BLK_SEG_MAX)) {
            long segMax = session.transport().readConfig(BlkConfig.SEG_MAX, 4);
            Assumptions.assumeTrue(segMax >= dataPieces, "seg_max " + segMax + " is below the " + dataPieces
                    + " data segments of the request");
        }
        Allocator alloc = driver.allocator();
        List<Buffer> readable = layout.readable(alloc, BlkRequest.header(BlkRequest.T_IN, FIRST_SECTOR));
        List<Buffer> data = layout.writable(alloc, expected.length);
        Buffer status = alloc.writable(1);
        List<Buffer> writable = new ArrayList<>(data);
        writable.add(status);
        q.add(readable, writable, false);
        driver.kick(q);
        driver.await(q);
        String request = "IN of sectors " + FIRST_SECTOR + "-" + (FIRST_SECTOR + SECTORS - 1) + " with its header in "
                + readable.size() + " and its data in " + data.size() + " chained descriptors of "
                + lengths(readable) + " and " + lengths(data) + " bytes";
        Check.equal("status of an " + request, BlkRequest.S_OK, alloc.memory().u8(status.address()));
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        for (Buffer b : data) {
            read.writeBytes(alloc.memory().read(b.address(), b.length()));
        }
        Check.sameBytes("data of an " + request + ", read in descriptor order", expected, read.toByteArray());
    }

    private static String lengths(List<Buffer> buffers) {
        return buffers.stream().map(b -> String.valueOf(b.length())).toList().toString();
    }
}
