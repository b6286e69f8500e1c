package org.virtiotck.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeaturePolicy;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.driver.trace.RequestTrace;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;

/**
 * A well-behaved virtio driver over any transport: the initialization sequence of VIRTIO 1.2 §3.1.1,
 * queue setup, and request submission with a deadline on every wait.
 */
public final class VirtioDriver {
    private static final int STATUS_CHECK_EVERY = 64;

    private final Transport transport;
    private final Allocator alloc;
    private final Duration timeout;
    private final List<Virtqueue> queues = new ArrayList<>();
    /** Queues a queue reset took away: their findings still count. */
    private final List<Virtqueue> retired = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private FeatureSet negotiated = FeatureSet.NONE;

    private final FeaturePolicy policy;
    private final RequestTrace trace;

    public VirtioDriver(Transport transport, Allocator alloc, Duration timeout) {
        this(transport, alloc, timeout, FeaturePolicy.NONE);
    }

    public VirtioDriver(Transport transport, Allocator alloc, Duration timeout, FeaturePolicy policy) {
        this(transport, alloc, timeout, policy, RequestTrace.OFF);
    }

    /** A driver that records what it does, and what its queues do, in {@code trace}. */
    public VirtioDriver(Transport transport, Allocator alloc, Duration timeout, FeaturePolicy policy, RequestTrace trace) {
        this.transport = transport;
        this.alloc = alloc;
        this.timeout = timeout;
        this.policy = policy;
        this.trace = trace;
    }

    /** What this driver and its queues did, for the report of a failing probe; {@link RequestTrace#OFF} if not kept. */
    public RequestTrace trace() {
        return trace;
    }

    private void note(String event) {
        if (trace.on()) {
            trace.record(event);
        }
    }

    public Transport transport() {
        return transport;
    }

    public Allocator allocator() {
        return alloc;
    }

    public Deadline deadline() {
        return Deadline.after(timeout);
    }

    public FeatureSet negotiated() {
        return negotiated;
    }

    /** Writes 0 to the status and waits until the device reads back 0 (§2.4). Forgets all queues. */
    public void reset() {
        note("reset: status 0");
        transport.setStatus(0);
        Deadline d = deadline();
        for (int attempt = 0; transport.status() != 0; attempt++) {
            d.check("read back device status 0 after reset (reads " + DeviceStatus.describe(transport.status()) + ")");
            Deadline.pause(attempt);
        }
        queues.clear();
        retired.clear();
        alloc.reset();
    }

    /**
     * §3.1.1 steps 1 to 6: reset, ACKNOWLEDGE, DRIVER, accept the offered subset of {@code wanted}
     * (VERSION_1 always, and as the feature policy says), FEATURES_OK, and read it back.
     *
     * @throws FeatureNotOfferedException when the policy requires a feature the device does not offer
     * @throws NegotiationException when the device does not keep FEATURES_OK set
     */
    public FeatureSet negotiate(FeatureSet wanted) {
        reset();
        transport.setStatus(DeviceStatus.ACKNOWLEDGE);
        transport.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        FeatureSet offered = transport.deviceFeatures();
        FeatureSet missing = policy.require().minus(offered);
        if (!missing.isEmpty()) {
            throw new FeatureNotOfferedException(missing, offered, DeviceType.ofId(transport.deviceId()));
        }
        FeatureSet accepted = offered.and(policy.apply(wanted.with(Feature.VERSION_1)));
        if (!transport.queueResetSupported()) {
            // Nothing could ever reset a queue, so the driver does not claim it can (§2.6.1).
            accepted = accepted.without(Feature.RING_RESET);
        }
        note("features offered " + offered + ", accepted " + accepted);
        transport.setDriverFeatures(accepted);
        int status = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK;
        transport.setStatus(status);
        int readBack = transport.status();
        if ((readBack & DeviceStatus.FEATURES_OK) == 0) {
            throw new NegotiationException(accepted, offered, readBack);
        }
        FeatureSet offeredNow = transport.deviceFeatures();
        if (!offeredNow.equals(offered)) {
            findings.add(new Finding(Finding.Kind.DEVICE_FEATURES_CHANGED,
                    "device features read " + offered + " before FEATURES_OK and " + offeredNow + " after"));
        }
        negotiated = accepted;
        return accepted;
    }

    /**
     * §3.1.1 step 7 for one queue, in the negotiated layout: the largest size the device allows, capped at
     * {@code maxSize} (and a power of two for split rings).
     */
    public Virtqueue setupQueue(int index, int maxSize) {
        // The register is 32 bits wide and the device's to fill: read it unsigned, and cap it at what we asked for.
        long deviceMax = Integer.toUnsignedLong(transport.queueMaxSize(index));
        if (deviceMax == 0) {
            throw new IllegalStateException("device offers no queue " + index + " (maximum queue size reads 0)");
        }
        int size = (int) Math.min(deviceMax, maxSize);
        RingFeatures ring = RingFeatures.of(negotiated);
        Virtqueue q = negotiated.has(Feature.RING_PACKED) ? PackedVirtqueue.allocate(alloc, index, size, ring)
                : SplitVirtqueue.allocate(alloc, index, Integer.highestOneBit(size), ring);
        q.trace(trace);
        note(String.format("queue %d set up: %s size %d, descriptors 0x%x, driver area 0x%x, device area 0x%x",
                index, q instanceof PackedVirtqueue ? "packed" : "split", size, q.descriptorArea(), q.driverArea(),
                q.deviceArea()));
        transport.configureQueue(index, size, q.descriptorArea(), q.driverArea(), q.deviceArea());
        transport.setQueueReady(index, true);
        queues.add(q);
        return q;
    }

    /**
     * Resets one queue on its own (§2.6.1.1, VIRTIO_F_RING_RESET negotiated): asks the transport, then waits until
     * the reset register reads 0, as the driver must before it takes the queue as reset (§4.1.4.3.2, §4.2.2.2).
     * The queue is then no longer set up: {@link #setupQueue} re-enables it with a fresh ring, in any size the
     * device allows. The old ring's memory stays allocated, so a probe can still watch it.
     *
     * @throws IllegalStateException when RING_RESET was not negotiated or the queue is not set up
     */
    public void resetQueue(int index) {
        if (!negotiated.has(Feature.RING_RESET)) {
            throw new IllegalStateException("queue reset needs RING_RESET, which was not negotiated");
        }
        Virtqueue old = queue(index);
        note("queue " + index + " reset");
        transport.resetQueue(index);
        Deadline d = deadline();
        for (int attempt = 0; transport.queueResetPending(index); attempt++) {
            d.check("finish the reset of queue " + index + " (its reset register still reads 1)");
            Deadline.pause(attempt);
        }
        queues.remove(old);
        retired.add(old);
    }

    /** §3.1.1 step 8. */
    public void driverOk() {
        note("DRIVER_OK");
        transport.setStatus(transport.status() | DeviceStatus.DRIVER_OK);
    }

    /** Negotiates {@code wanted}, sets up queues 0..queueCount-1 and sets DRIVER_OK. */
    public FeatureSet start(FeatureSet wanted, int queueCount, int maxQueueSize) {
        FeatureSet accepted = negotiate(wanted);
        for (int q = 0; q < queueCount; q++) {
            setupQueue(q, maxQueueSize);
        }
        driverOk();
        return accepted;
    }

    public Virtqueue queue(int index) {
        for (Virtqueue q : queues) {
            if (q.index() == index) {
                return q;
            }
        }
        throw new IllegalStateException("queue " + index + " is not set up");
    }

    /** Makes one chain available, notifies unless the device suppressed it, and waits for its completion. */
    public Completion submit(Virtqueue q, List<Buffer> readable, List<Buffer> writable) {
        q.add(readable, writable);
        kick(q);
        return await(q);
    }

    /** Sends an available buffer notification for {@code q} if the device asked for one (§2.7.10, §2.8.10). */
    public void kick(Virtqueue q) {
        if (q.notificationNeeded()) {
            note("notify queue " + q.index());
            transport.notifyQueue(q.index());
        } else {
            note("queue " + q.index() + ": device suppressed the notification");
        }
    }

    /**
     * Waits for the next completion on {@code q}. A device that gives up with DEVICE_NEEDS_RESET will never
     * complete, so the status is checked now and then and ends the wait at once instead of at the deadline.
     */
    public Completion await(Virtqueue q) {
        Deadline d = deadline();
        for (int attempt = 0; ; attempt++) {
            var c = q.poll();
            if (c.isPresent()) {
                return c.get();
            }
            if (attempt % STATUS_CHECK_EVERY == 0) {
                int status = transport.status();
                if ((status & DeviceStatus.DEVICE_NEEDS_RESET) != 0) {
                    note("status reads " + DeviceStatus.describe(status) + " while waiting on queue " + q.index());
                    throw new DeviceNeedsResetException(q.index(), status);
                }
            }
            try {
                d.check("complete a buffer on queue " + q.index());
            } catch (DeviceTimeoutException e) {
                note("deadline passed waiting for a used buffer on queue " + q.index());
                throw e;
            }
            Deadline.pause(attempt);
        }
    }

    /** Every finding of the driver and of every queue, and every byte written outside device-writable buffers. */
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        for (Virtqueue q : retired) {
            all.addAll(q.findings());
        }
        for (Virtqueue q : queues) {
            all.addAll(q.findings());
        }
        all.addAll(alloc.integrityFindings());
        return all;
    }
}
