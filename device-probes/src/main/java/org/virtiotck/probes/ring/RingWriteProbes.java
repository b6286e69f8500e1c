package org.virtiotck.probes.ring;

import static org.virtiotck.driver.Finding.Kind.*;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Findings;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What the device writes into the ring structures themselves (VIRTIO 1.2 §2.7.6-§2.7.10 split, §2.8 packed): used
 * ids, the used idx, wrap bits, used flags and event suppression fields, and nothing in the driver area. Each probe
 * drives its device type's workload around the ring more than once, several requests in flight at a time, direct
 * and through indirect tables, and checks the one kind of finding the driver model records for its clause.
 */
class RingWriteProbes {
    private static final int ROUNDS = 24;
    private static final int PER_ROUND = 4;

    private static boolean packed(Workload w) {
        return w.queue() instanceof PackedVirtqueue;
    }

    /**
     * Runs the traffic, stopping at the first finding of {@code kinds}: a device that breaks the ring may leave a
     * buffer that never completes, and the probe should then FAIL on its clause rather than wait for the deadline.
     */
    private static void traffic(Workload w, Finding.Kind... kinds) {
        Virtqueue q = w.queue();
        for (int round = 0; round < ROUNDS; round++) {
            boolean indirect = round % 2 == 1;
            for (int i = 0; i < PER_ROUND; i++) {
                Workload.Request r = w.request();
                q.add(r.readable(), r.writable(), indirect && r.descriptors() > 1 && r.descriptors() <= q.maxIndirect());
            }
            w.driver().kick(q);
            Deadline d = w.driver().deadline();
            int done = 0;
            for (int attempt = 0; done < PER_ROUND; attempt++) {
                if (q.poll().isPresent()) {
                    done++;
                    continue;
                }
                if (!Findings.of(w.driver(), kinds).isEmpty()) {
                    return;
                }
                d.check("complete " + PER_ROUND + " buffers on queue " + q.index() + " (" + done + " so far)");
                Deadline.pause(attempt);
            }
        }
    }

    private static Workload splitOnly(Session session, FeatureSet wanted) {
        Workload w = Workload.start(session, wanted);
        Assumptions.assumeFalse(packed(w), "a split ring clause; this variant uses a packed ring");
        return w;
    }

    private static Workload packedOnly(Session session) {
        Workload w = Workload.start(session);
        Assumptions.assumeTrue(packed(w), "a packed ring clause; this variant uses a split ring");
        return w;
    }

    @Probe
    @Clause(section = "2.7.8", packedSection = "2.8", label = "used id names a buffer that is available and not yet used",
            level = Level.MUST)
    void usedIdsNameBuffersInFlight(Session session) {
        Workload w = Workload.start(session);
        traffic(w, USED_ID_NOT_AVAILABLE, USED_ID_COMPLETED_TWICE);
        Findings.noneOf(w.driver(), USED_ID_NOT_AVAILABLE, USED_ID_COMPLETED_TWICE);
    }

    @Probe
    @Clause(section = "2.7.8", label = "used idx advances only by the buffers the device completed", level = Level.MUST)
    void usedIdxMovesByCompletionsOnly(Session session) {
        Workload w = splitOnly(session, Devices.DRIVER_SUPPORTS);
        traffic(w, USED_IDX_JUMP);
        Findings.noneOf(w.driver(), USED_IDX_JUMP);
    }

    @Probe
    @Clause(section = "2.8.1", label = "a used descriptor's AVAIL and USED bits both equal the device ring wrap counter",
            level = Level.MUST)
    void usedDescriptorsCarryTheWrapCounter(Session session) {
        Workload w = packedOnly(session);
        traffic(w, PACKED_BAD_WRAP);
        Findings.noneOf(w.driver(), PACKED_BAD_WRAP);
    }

    @Probe
    @Clause(section = "2.7.10.2", label = "without EVENT_IDX, device sets the used ring flags only to 0 or 1", level = Level.MUST)
    void usedFlagsWithoutEventIdx(Session session) {
        Workload w = splitOnly(session, Devices.DRIVER_SUPPORTS.without(Feature.EVENT_IDX));
        Assumptions.assumeFalse(w.driver().negotiated().has(Feature.EVENT_IDX), "the target requires EVENT_IDX");
        traffic(w, USED_FLAGS_INVALID);
        Findings.noneOf(w.driver(), USED_FLAGS_INVALID);
    }

    @Probe
    @Clause(section = "2.7.10.2", label = "with EVENT_IDX, device keeps the used ring flags at 0", level = Level.MUST)
    void usedFlagsWithEventIdx(Session session) {
        Workload w = splitOnly(session, Devices.DRIVER_SUPPORTS);
        Assumptions.assumeTrue(w.driver().negotiated().has(Feature.EVENT_IDX), "device or target without EVENT_IDX");
        traffic(w, USED_FLAGS_INVALID);
        Findings.noneOf(w.driver(), USED_FLAGS_INVALID);
    }

    @Probe
    @Clause(section = "2.8.10", label = "device event suppression flags hold no reserved value, and DESC mode only with EVENT_IDX",
            level = Level.MUST)
    void deviceEventFlagsValid(Session session) {
        Workload w = packedOnly(session);
        traffic(w, DEVICE_EVENT_INVALID);
        Findings.noneOf(w.driver(), DEVICE_EVENT_INVALID);
    }

    @Probe
    @Clause(section = "2.7.6", packedSection = "2.8.10", label = "device does not write the driver area (available ring or driver event suppression)",
            level = Level.MUST)
    void driverAreaUntouched(Session session) {
        Workload w = Workload.start(session);
        traffic(w, AVAIL_RING_WRITTEN, DRIVER_EVENT_WRITTEN);
        Findings.noneOf(w.driver(), AVAIL_RING_WRITTEN, DRIVER_EVENT_WRITTEN);
    }

    @Probe
    @Clause(section = "2.7.9", packedSection = "2.8.8", label = "with IN_ORDER, a used entry for a batch names its last buffer and covers the whole batch",
            level = Level.MUST)
    void inOrderBatchesCoverTheirBuffers(Session session) {
        Workload w = Workload.start(session);
        Assumptions.assumeTrue(w.driver().negotiated().has(Feature.IN_ORDER), "device or target without IN_ORDER");
        traffic(w, IN_ORDER_VIOLATED);
        Findings.noneOf(w.driver(), IN_ORDER_VIOLATED);
    }
}
