package org.virtiotck.probes.ring;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * VIRTIO_F_IN_ORDER (VIRTIO 1.2 §6.2): buffers are used in the order they were made available. Completion order
 * alone cannot show it (an in-order batch names only its last buffer), so the probe makes order visible in the
 * data: two writes to one sector and a read of it, made available together; the read must see the second write.
 */
@ForDevice(DeviceType.BLK)
class InOrderProbes {
    private static final long SECTOR = 5;

    @Probe
    @Clause(section = "6.2", label = "with IN_ORDER the device uses buffers in the order they were made available",
            level = Level.MUST)
    void requestsTakeEffectInTheOrderMadeAvailable(Session session) {
        Devices.startBlk(session);
        VirtioDriver driver = session.driver();
        Assumptions.assumeTrue(driver.negotiated().has(Feature.IN_ORDER), "device or target without IN_ORDER");
        Devices.assumeWritable(session); // the order shows in the data of two writes
        Allocator alloc = driver.allocator();
        Virtqueue q = driver.queue(0);
        byte[] first = Devices.pattern(BlkRequest.SECTOR_SIZE, 21);
        byte[] second = Devices.pattern(BlkRequest.SECTOR_SIZE, 22);
        List<Integer> made = new ArrayList<>();
        for (byte[] data : List.of(first, second)) {
            made.add(q.add(List.of(alloc.readable(BlkRequest.header(BlkRequest.T_OUT, SECTOR)), alloc.readable(data)),
                    List.of(alloc.writable(1))).head());
        }
        Buffer in = alloc.writable(BlkRequest.SECTOR_SIZE);
        Buffer status = alloc.writable(1);
        made.add(q.add(List.of(alloc.readable(BlkRequest.header(BlkRequest.T_IN, SECTOR))), List.of(in, status)).head());
        driver.kick(q);
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            used.add(driver.await(q).chain().head());
        }
        Check.equal("status of the read made available after two writes", BlkRequest.S_OK,
                session.memory().u8(status.address()));
        Check.sameBytes("read made available after two writes to its sector (must see the second)", second,
                session.memory().read(in.address(), in.length()));
        Check.equal("order in which the three buffers were used", made, used);
    }
}
