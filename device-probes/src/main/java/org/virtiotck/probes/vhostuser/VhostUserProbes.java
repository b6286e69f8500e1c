package org.virtiotck.probes.vhostuser;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.harness.vhostuser.VhostUserTransport;
import org.virtiotck.harness.vhostuser.linux.NativeCallException;
import org.virtiotck.harness.vhostuser.protocol.DeviceConfig;
import org.virtiotck.harness.vhostuser.protocol.ProtocolFeature;
import org.virtiotck.harness.vhostuser.protocol.Request;
import org.virtiotck.harness.vhostuser.protocol.VhostUserProtocolException;
import org.virtiotck.harness.vhostuser.protocol.VhostUserRefusedException;
import org.virtiotck.harness.vhostuser.protocol.VringState;
import org.virtiotck.probes.Devices;
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

    /** Runs the workload's requests, or FAILs {@code what}: a back-end that stops answering broke that rule. */
    private static Workload busyOrFail(Session session, String what) {
        try {
            return busy(session);
        } catch (DeviceTimeoutException e) {
            Check.that(false, what, "every request used within the deadline", e.getMessage());
            throw new AssertionError(e);
        }
    }

    /** Waits for the request made available on the workload's queue, or FAILs {@code what}. */
    private static void awaitOrFail(Workload w, String what) {
        try {
            w.driver().await(w.queue());
        } catch (DeviceTimeoutException e) {
            Check.that(false, what, "used within the deadline", "not use it (" + e.getMessage() + ")");
        }
    }

    /** Makes one request available and kicks it; the probe then judges whether the back-end touched it. */
    private static Workload.Request kickOne(Session session, Workload w) {
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        session.transport().notifyQueue(w.queue().index());
        Interrupts.settle();
        return r;
    }

    private static void checkLeftAlone(Session session, Workload w, Workload.Request r, String when) {
        Optional<Completion> c = w.queue().poll();
        Check.that(c.isEmpty(), "a request made available and kicked " + when, "left alone",
                c.map(x -> "used, id " + x.chain().head() + ", len " + x.usedLen()).orElse(""));
        Check.that(r.writableUntouched(session.memory()), "the buffers of a request kicked " + when, "untouched",
                "written by the back-end");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.1", label = "vhost-user: a ring starts on a kick of its kick descriptor", level = Level.MUST)
    void ringStartsOnAKickPendingAtHandover(Session session) {
        VhostUserTransport t = vhostUser(session);
        // Without bit 30 acknowledged the ring starts enabled, so nothing but the kick decides when it runs. The
        // kick is signalled before SET_VRING_KICK hands its descriptor over, as a guest that notified early leaves it.
        t.declineProtocolFeaturesBit();
        Workload w = Workload.prepare(session, Devices.DRIVER_SUPPORTS);
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        t.notifyQueue(w.queue().index());
        w.driver().driverOk();
        awaitOrFail(w, "a request whose kick was pending when SET_VRING_KICK handed over the descriptor");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.1", label = "vhost-user: with PROTOCOL_FEATURES a ring starts disabled and then has no side effects",
            level = Level.MUST)
    void ringStartsDisabledAndWritesNothing(Session session) {
        VhostUserTransport t = vhostUser(session);
        Assumptions.assumeTrue(t.protocolFeaturesBitAcked(), "the back-end has no PROTOCOL_FEATURES: rings start enabled");
        t.leaveRingsDisabled();
        Workload w = Workload.prepare(session, Devices.DRIVER_SUPPORTS);
        Assumptions.assumeTrue(w.request().writable().size() > 0, "the workload of " + session.deviceType()
                + " has no device-writable buffer; a disabled ring may consume and drop such requests");
        w.driver().driverOk();
        // A disabled ring may be processed, but without side effects: filling or completing a request whose buffers
        // the device writes (a blk status byte, rng bytes) is one.
        checkLeftAlone(session, w, kickOne(session, w), "on a ring not yet enabled");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.10", label = "vhost-user: RESET_DEVICE, when RESET_DEVICE is negotiated, returns the device to its initial state",
            level = Level.MUST)
    void resetDeviceStopsRingsAndStartsOver(Session session) {
        VhostUserTransport t = vhostUser(session);
        Assumptions.assumeTrue(ProtocolFeature.RESET_DEVICE.in(t.protocolFeatures()), "the back-end has no RESET_DEVICE");
        Workload w = busy(session);
        t.resetDevice();
        checkLeftAlone(session, w, kickOne(session, w), "after RESET_DEVICE disabled every ring");
        if (ProtocolFeature.STATUS.in(t.protocolFeatures())) {
            Check.equal("GET_STATUS after RESET_DEVICE", 0, t.connection().getStatus());
        }
        // The initial state: set up from scratch, rings from index 0, the device serves requests again.
        busyOrFail(session, "a device set up again after RESET_DEVICE");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.10", label = "vhost-user: SET_VRING_KICK with the no-fd flag makes the back-end poll the ring", level = Level.SHOULD)
    void ringWithoutKickDescriptorIsPolled(Session session) {
        VhostUserTransport t = vhostUser(session);
        // Only REPLY_ACK tells whether the back-end took the message; without it a refusal would look like no polling.
        Assumptions.assumeTrue(ProtocolFeature.REPLY_ACK.in(t.protocolFeatures()),
                "without REPLY_ACK a back-end's refusal of a ring without kick descriptor cannot be told apart");
        t.pollRings();
        Workload w = Workload.prepare(session, Devices.DRIVER_SUPPORTS);
        try {
            w.driver().driverOk();
        } catch (VhostUserRefusedException e) {
            Assumptions.abort("the back-end refused SET_VRING_KICK without a descriptor (allowed): " + e.getMessage());
        }
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        // No kick: the descriptor the back-end would wait on was never sent.
        awaitOrFail(w, "a request on a ring handed over without kick descriptor, never kicked");
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3.10", label = "vhost-user: GET_CONFIG answers with the size asked for, or an empty reply to refuse",
            level = Level.MUST)
    void getConfigAnswersTheSizeAskedFor(Session session) {
        VhostUserTransport t = vhostUser(session);
        Assumptions.assumeTrue(ProtocolFeature.CONFIG.in(t.protocolFeatures()), "the back-end has no CONFIG protocol feature");
        List<String> wrong = new ArrayList<>();
        for (int size : new int[] {1, 4, 8, 12, 20, 32, 60, 64, 128, DeviceConfig.MAX_BYTES}) {
            byte[] asked = new DeviceConfig(0, 0, new byte[size]).encode();
            try {
                t.connection().call(Request.GET_CONFIG, asked, List.of(), false);
            } catch (VhostUserProtocolException e) {
                // The channel checks the reply's payload size against the two the document allows.
                wrong.add(size + " bytes: " + e.getMessage());
                break;
            }
        }
        Check.that(wrong.isEmpty(), "GET_CONFIG replies from offset 0", "a payload of the size asked for, or empty",
                String.join("; ", wrong));
    }

    @Probe
    @Clause(spec = VhostUserProbes.DOC, section = "3", label = "vhost-user: a listening back-end serves a new connection after the frontend disconnects",
            level = Level.SHOULD)
    void newConnectionIsServedAfterDisconnect(Session session) {
        VhostUserTransport t = vhostUser(session);
        busy(session);
        // Drop the connection with the ring running, as a frontend that crashed would.
        t.connection().close();
        try (Session again = Sessions.open(session.target())) {
            busyOrFail(again, "a second connection after the first one closed");
        } catch (DeviceTimeoutException | DeviceLostException | NativeCallException e) {
            Check.that(false, "a new connection after the frontend disconnected", "served like the first",
                    e.getMessage());
        }
    }
}
