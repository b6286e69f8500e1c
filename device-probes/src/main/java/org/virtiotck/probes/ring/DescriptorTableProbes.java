package org.virtiotck.probes.ring;

import org.virtiotck.driver.Finding;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Findings;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What the device may write (VIRTIO 1.2 §2.7.5.1; for packed rings §2.8.15): only device-writable buffers. Each probe runs a mix of
 * requests, then looks for one kind of damage the allocator and ring shadow record. Every device type: blk gets a
 * mix of successful and failing requests; the others their workload request, direct and through indirect tables.
 */
class DescriptorTableProbes {

    private static void requestMix(Session session) {
        if (session.deviceType() == DeviceType.BLK) {
            blkMix(Devices.startBlk(session));
            return;
        }
        Workload w = Workload.start(session);
        for (int i = 0; i < 8; i++) {
            Workload.Request r = w.request();
            boolean indirect = i % 2 == 1 && r.descriptors() <= w.queue().maxIndirect();
            w.queue().add(r.readable(), r.writable(), indirect);
            w.driver().kick(w.queue());
            w.driver().await(w.queue());
        }
    }

    /** Reads, writes, a flush, GET_ID and requests that fail: every code path that writes guest memory. */
    private static void blkMix(BlkClient blk) {
        long capacity = blk.capacitySectors();
        blk.write(1, Devices.pattern(1024, 1));
        blk.read(0, 4096);
        blk.read(1, 512);
        blk.flush();
        blk.getId();
        blk.read(capacity, 512);
        blk.read(capacity - 1, 1024);
        blk.submit(0x7f, 0, null, 512);
    }

    @Probe
    @Clause(section = "2.7.5.1", packedSection = "2.8.15", label = "device writes nothing outside the device-writable buffers it was given",
            level = Level.MUST)
    void noWriteOutsideWritableBuffers(Session session) {
        requestMix(session);
        Findings.noneOf(session.driver(), Finding.Kind.WRITE_OUTSIDE_WRITABLE);
    }

    @Probe
    @Clause(section = "2.7.5.1", packedSection = "2.8.15", label = "device does not write device-readable buffers", level = Level.MUST)
    void noWriteToReadableBuffers(Session session) {
        requestMix(session);
        if (session.deviceType() == DeviceType.BLK) {
            new BlkClient(session.driver()).submit(BlkRequest.T_OUT, 3, Devices.pattern(2048, 3), 0);
        }
        Findings.noneOf(session.driver(), Finding.Kind.WRITE_TO_READABLE);
    }

    @Probe
    @Clause(section = "2.7.5.1", packedSection = "2.8.15", label = "device writes descriptor entries only to mark them used (split rings: never)",
            level = Level.MUST)
    void noWriteToDescriptorTable(Session session) {
        requestMix(session);
        Findings.noneOf(session.driver(), Finding.Kind.DESCRIPTOR_TABLE_WRITTEN, Finding.Kind.PACKED_DESCRIPTOR_WRITTEN,
                Finding.Kind.INDIRECT_TABLE_WRITTEN);
    }
}
