package org.virtiotck.probes.vhostuser;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.harness.vhostuser.VhostUserTransport;
import org.virtiotck.harness.vhostuser.protocol.ProtocolFeature;
import org.virtiotck.harness.vhostuser.protocol.VringState;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The vhost-user protocol itself (QEMU's docs/interop/vhost-user.rst, sections numbered as the catalogue's
 * vhost-user area says): what a back-end owes the frontend beyond the virtio device it serves. Every probe SKIPs
 * unless the target is a vhost-user socket, and runs on any device type through {@link Workload}.
 */
class VhostUserProbes {
    /** The catalogue's "spec" of the vhost-user area: the QEMU release whose vhost-user.rst is numbered (7.2). */
    static final String DOC = "7.2";
    private static final int REQUESTS = 3;

    private static VhostUserTransport vhostUser(Session session) {
        Assumptions.assumeTrue(session instanceof VhostUserSession, "the target is not a vhost-user back-end");
        return ((VhostUserSession) session).vhostUser();
    }

    /** Runs {@value #REQUESTS} requests to completion on the workload's queue. */
    private static Workload busy(Session session) {
        Workload w = Workload.start(session);
        for (int i = 0; i < REQUESTS; i++) {
            Workload.Request r = w.request();
            w.driver().submit(w.queue(), r.readable(), r.writable());
        }
        return w;
    }

    /** The index GET_VRING_BASE owes once every request made available has been used. */
    private static long expectedBase(Virtqueue q) {
        if (q instanceof SplitVirtqueue split) {
            return split.raw().availIdx();
        }
        // Every buffer was used, so the next available slot is the next used one. QEMU 7.2's document defines only
        // these 16 bits; later revisions add the used index and its wrap counter in bits 16-31 (DPDK 22.11 leaves
        // them 0), which this probe does not require.
        return ((PackedVirtqueue) q).nextUsedOffWrap() & 0xffffL;
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.10", label = "vhost-user: GET_VRING_BASE returns the next available index (packed: wrap counter in bit 15)",
            level = Level.MUST)
    void getVringBaseReturnsNextAvailableIndex(Session session) {
        VhostUserTransport t = vhostUser(session);
        Workload w = busy(session);
        VringState s = t.stopRing(w.queue().index());
        long got = w.queue() instanceof SplitVirtqueue ? Integer.toUnsignedLong(s.num()) : s.num() & 0xffffL;
        Check.equal("GET_VRING_BASE of ring " + w.queue().index() + " after " + REQUESTS + " requests were used",
                "0x" + Long.toHexString(expectedBase(w.queue())), "0x" + Long.toHexString(got));
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.1", label = "vhost-user: a ring stopped by GET_VRING_BASE is not processed, even when kicked", level = Level.MUST)
    void stoppedRingIsNotProcessed(Session session) {
        VhostUserTransport t = vhostUser(session);
        Workload w = busy(session);
        t.stopRing(w.queue().index());
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        t.notifyQueue(w.queue().index());
        Interrupts.settle();
        Optional<Completion> c = w.queue().poll();
        Check.that(c.isEmpty(), "a request made available and kicked after GET_VRING_BASE", "left alone",
                c.map(x -> "used, id " + x.chain().head() + ", len " + x.usedLen()).orElse(""));
        Check.that(r.writableUntouched(session.memory()), "the stopped ring's request buffers", "untouched",
                "written by the back-end");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.12", label = "vhost-user: with REPLY_ACK, every request sent with need_reply gets its reply", level = Level.MUST)
    void replyAckForEveryNeedReply(Session session) {
        VhostUserTransport t = vhostUser(session);
        Assumptions.assumeTrue(ProtocolFeature.REPLY_ACK.in(t.protocolFeatures()), "the back-end has no REPLY_ACK");
        // With REPLY_ACK the frontend sends every request that has no reply of its own with need_reply and waits
        // for the ack: device setup (features, memory table, every ring message, enable) and a reset.
        try {
            Workload.start(session);
            session.driver().reset();
        } catch (DeviceTimeoutException e) {
            Check.that(false, "REPLY_ACK to each request sent with need_reply", "a reply within the deadline",
                    e.getMessage());
        }
    }
}
