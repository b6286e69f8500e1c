package org.virtiotck.probes;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.session.Session;

/** What the probes of a single queue's reset (VIRTIO_F_RING_RESET, VIRTIO 1.2 §2.6.1) share, on any transport. */
public final class QueueReset {
    /** Used-ring findings that show a device using the ring from positions it should have dropped. */
    private static final Finding.Kind[] STALE_POSITIONS = {Finding.Kind.USED_IDX_JUMP, Finding.Kind.USED_ID_NOT_AVAILABLE,
        Finding.Kind.USED_ID_COMPLETED_TWICE, Finding.Kind.PACKED_BAD_WRAP, Finding.Kind.PACKED_DESCRIPTOR_WRITTEN};

    private QueueReset() {
    }

    /**
     * A device started as {@link Workload#start(Session)} does, with RING_RESET negotiated; SKIP, saying why, when
     * the transport cannot reset a queue, the device does not offer the feature or the target forbids it.
     */
    public static Workload start(Session session) {
        Workload w = Workload.start(session);
        VirtioDriver driver = w.driver();
        Assumptions.assumeTrue(driver.transport().queueResetSupported(),
                "the transport of " + session.target().canonical() + " has no queue reset, so the driver declines RING_RESET");
        Assumptions.assumeTrue(driver.transport().deviceFeatures().has(Feature.RING_RESET), "device does not offer RING_RESET");
        Assumptions.assumeTrue(driver.negotiated().has(Feature.RING_RESET), "the target forbids RING_RESET");
        return w;
    }

    /**
     * Serves {@code count} workload requests on {@code q}, a queue re-enabled after its reset ({@code how}), one at a
     * time: each must complete, and the used ring must show no position the device carried over from before.
     */
    public static void serveOneByOne(Workload w, Virtqueue q, int count, String how) {
        VirtioDriver driver = w.driver();
        for (int i = 1; i <= count; i++) {
            Optional<Completion> c = serve(driver, q, w.request());
            Findings.noneOf(driver, STALE_POSITIONS);
            Check.that(c.isPresent(), "request " + i + " on queue " + q.index() + " " + how, "completed",
                    "no completion within " + driver.deadline().budget().toMillis() + " ms");
        }
    }

    /**
     * Makes {@code r} available on {@code q}, notifies when the device asks for it, and waits for a completion
     * until the deadline: empty when none came, for the probe to judge rather than end in WEDGED.
     */
    private static Optional<Completion> serve(VirtioDriver driver, Virtqueue q, Workload.Request r) {
        q.add(r.readable(), r.writable());
        driver.kick(q);
        Deadline d = driver.deadline();
        for (int attempt = 0; ; attempt++) {
            Optional<Completion> c = q.poll();
            if (c.isPresent() || d.expired()) {
                return c;
            }
            Deadline.pause(attempt);
        }
    }
}
