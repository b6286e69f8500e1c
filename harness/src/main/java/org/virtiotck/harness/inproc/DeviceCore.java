package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.transport.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER_OK;
import static org.virtiotck.driver.transport.DeviceStatus.FEATURES_OK;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.Optional;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.mmio.MmioRegister;

/**
 * The transport-independent state of a virtio device (VIRTIO 1.2 §2, §3): status, negotiated features,
 * queue configuration, pending interrupts and the error state. Register models (virtio-mmio, virtio-pci)
 * decode register accesses into calls on this class; they share its semantics so that a device behaves the
 * same whichever transport reaches it.
 *
 * <p>Queue notifications are handled synchronously in the notifying thread. Register models serialise their
 * calls on their own lock; the {@link DeviceHost} calls a device makes on its own (from a far side driven by
 * another thread) take the same lock, so they never interleave with a register access.
 */
final class DeviceCore implements DeviceHost {
    private static final int STATUS_BITS = 0xff;

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final Object lock;
    private final QueueRegisters[] queues;

    private int status;
    private int interruptStatus;
    private FeatureSet driverFeatures = FeatureSet.NONE;
    private String needsResetReason;
    private int configGeneration;
    private InterruptRoute route = new InterruptRoute() {
        @Override
        public void usedBuffer(int queue) {
            raiseInterruptStatus(MmioRegister.INT_USED_BUFFER);
        }

        @Override
        public void configChange() {
            raiseInterruptStatus(MmioRegister.INT_CONFIG_CHANGE);
        }
    };

    /** @param lock the lock the register model in front holds during every register access */
    DeviceCore(VirtioDevice device, GuestMemory memory, Object lock) {
        this.device = device;
        this.memory = memory;
        this.lock = lock;
        this.queues = new QueueRegisters[device.queueCount()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueRegisters();
        }
        device.attach(this);
    }

    VirtioDevice device() {
        return device;
    }

    GuestMemory memory() {
        return memory;
    }

    Optional<String> needsResetReason() {
        return Optional.ofNullable(needsResetReason);
    }

    int status() {
        return status;
    }

    /** Pending interrupt causes: bit 0 used buffer, bit 1 configuration change. */
    int interruptStatus() {
        return interruptStatus;
    }

    void acknowledgeInterrupts(int bits) {
        interruptStatus &= ~bits;
    }

    /** Sets pending causes, bit 0 used buffer and bit 1 configuration change, for a route to build on. */
    void raiseInterruptStatus(int bits) {
        interruptStatus |= bits;
    }

    /** Sends every notification the device makes along {@code route} from now on. */
    void routeInterrupts(InterruptRoute route) {
        this.route = route;
    }

    /** The queue with this index, or null when the device has no such queue. */
    QueueRegisters queue(int index) {
        return index >= 0 && index < queues.length ? queues[index] : null;
    }

    int maxQueueSize() {
        return device.maxQueueSize();
    }

    /** The driver may only change a queue's size and addresses while it is not ready (§4.2.2.2, §4.1.4.3.2). */
    static boolean configurable(QueueRegisters q) {
        return q != null && !q.ready;
    }

    /**
     * What the device offers: its type's features plus RING_RESET, which the queue registers implement for every
     * device type (§2.6.1), so it is the transport's to offer rather than the device's.
     */
    FeatureSet offeredFeatures() {
        return device.offeredFeatures().with(Feature.RING_RESET);
    }

    long deviceFeatureWord(int select) {
        return offeredFeatures().word(select);
    }

    /** The driver's features as written, one word per select 0..3 (0 for any other select). */
    long driverFeatureWord(int select) {
        return driverFeatures.word(select);
    }

    void writeDriverFeatureWord(int select, long word) {
        // Features are fixed once FEATURES_OK has stuck; only a reset renegotiates (§2.2).
        if ((status & FEATURES_OK) != 0 || select < 0 || select > 3) {
            return;
        }
        driverFeatures = driverFeatures.withWord(select, word);
    }

    long readConfig(long offset, int width) {
        byte[] config = device.config();
        if (offset < 0 || offset > config.length - width) {
            return 0;
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | config[(int) offset + i] & 0xff;
        }
        return v;
    }

    /** Passes a driver write on to the device when it lies inside the configuration space, the value cut to its width. */
    void writeConfig(long offset, int width, long value) {
        if (offset < 0 || offset > device.config().length - width) {
            return;
        }
        device.writeConfig((int) offset, width, value & (1L << 8 * width) - 1);
    }

    void writeQueueReady(int index, long v) {
        QueueRegisters q = queue(index);
        if (q == null) {
            return;
        }
        if (v == 0) {
            q.ready = false;
            q.live = null;
            return;
        }
        if (v != 1 || q.ready) {
            return;
        }
        q.ready = true;
        boolean packed = driverFeatures.has(Feature.RING_PACKED);
        Optional<String> problem = q.num > device.maxQueueSize()
                ? Optional.of("queue size " + q.num + " exceeds the maximum " + device.maxQueueSize())
                : packed ? PackedDeviceQueue.layoutProblem(memory, q.num, q.descArea, q.driverArea, q.deviceArea)
                : SplitDeviceQueue.layoutProblem(memory, q.num, q.descArea, q.driverArea, q.deviceArea);
        if (problem.isPresent()) {
            // The queue reads back as ready (the register returns what was written) but can never be used.
            q.broken = true;
            enterNeedsReset("queue " + index + ": " + problem.get());
            return;
        }
        // The driver enables queues after FEATURES_OK (§3.1.1), and features then stay fixed until a reset.
        RingFeatures features = RingFeatures.of(driverFeatures);
        q.live = packed ? new PackedDeviceQueue(memory, q.num, q.descArea, q.driverArea, q.deviceArea, features)
                : new SplitDeviceQueue(memory, q.num, q.descArea, q.driverArea, q.deviceArea, features);
    }

    /**
     * The driver wrote 1 to the queue's reset register (§2.6.1, §4.1.4.3, §4.2.2): with RING_RESET negotiated the
     * queue goes back to its state after a device reset, the live ring with its available and used positions
     * dropped, so nothing more is taken from it or notified for it. The reset completes within this call, so the
     * reset register never has to read 1; other writes, and writes without RING_RESET, change nothing.
     *
     * @return whether the queue was reset
     */
    boolean writeQueueReset(int index, long v) {
        QueueRegisters q = queue(index);
        if (q == null || v != 1 || !driverFeatures.has(Feature.RING_RESET) || (status & FEATURES_OK) == 0) {
            return false;
        }
        q.clear();
        return true;
    }

    /** Bumped whenever the device changes its configuration space (§2.5). */
    int configGeneration() {
        return configGeneration;
    }

    @Override
    public void configChanged() {
        synchronized (lock) {
            configGeneration++;
            if ((status & DRIVER_OK) != 0) {
                route.configChange();
            }
        }
    }

    @Override
    public void changeConfig(Runnable change) {
        // Under the register lock, no driver read falls between the change and the new generation.
        synchronized (lock) {
            change.run();
            configChanged();
        }
    }

    @Override
    public void serviceQueue(int queueIndex) {
        synchronized (lock) {
            notifyQueue(queueIndex);
        }
    }

    void notifyQueue(long index) {
        // No buffers are consumed before DRIVER_OK (§2.1.2), and never from a queue that is not ready.
        if ((status & DRIVER_OK) == 0 || index < 0 || index >= queues.length) {
            return;
        }
        QueueRegisters q = queues[(int) index];
        if (!q.ready || q.broken || q.live == null) {
            return;
        }
        DeviceQueue queue = q.live;
        try {
            device.process((int) index, queue);
        } catch (MalformedChainException e) {
            q.broken = true;
            enterNeedsReset("queue " + index + ": " + e.getMessage());
        } catch (DeviceLostException e) {
            throw e;
        } catch (RuntimeException e) {
            // Whatever went wrong inside the device is the device's error state (§2.1.2), never an exception in the
            // driver's thread, which only wrote a register: a real device cannot throw into its driver.
            q.broken = true;
            enterNeedsReset("queue " + index + ": device error " + e);
        } finally {
            // Also for what was returned before a malformed chain stopped the queue.
            if (queue.takeUsedNotification()) {
                route.usedBuffer((int) index);
            }
        }
    }

    /** §2.1.2: flag the error state, and tell a live driver through a configuration change notification. */
    private void enterNeedsReset(String reason) {
        status |= DEVICE_NEEDS_RESET;
        if (needsResetReason == null) {
            needsResetReason = reason;
        }
        if ((status & DRIVER_OK) != 0) {
            route.configChange();
        }
    }

    /** Writing 0 resets; otherwise bits accumulate, FEATURES_OK only with the device's consent. */
    void writeStatus(long v) {
        if (v == 0) {
            reset();
            return;
        }
        // The driver never clears a status bit (§2.1.1), so bits accumulate until reset. FEATURES_OK needs the
        // device's consent and DEVICE_NEEDS_RESET is the device's to set, so neither is taken from the write.
        int written = (int) v & STATUS_BITS;
        int next = status | written & ~(FEATURES_OK | DEVICE_NEEDS_RESET);
        if ((written & FEATURES_OK) != 0 && (status & FEATURES_OK) == 0 && featuresAcceptable(driverFeatures)) {
            next |= FEATURES_OK;
            device.featuresNegotiated(driverFeatures);
        }
        status = next;
    }

    /**
     * Whether the device takes the driver's feature set at FEATURES_OK (§2.2.2: it may refuse, and then must
     * not let FEATURES_OK stick). Only subsets of the offered features are valid, and VERSION_1 is required
     * because these devices have no legacy interface.
     */
    private boolean featuresAcceptable(FeatureSet accepted) {
        return accepted.minus(offeredFeatures()).isEmpty() && accepted.has(Feature.VERSION_1);
    }

    /** §2.4: status, interrupts, negotiated features and every queue go back to their initial state. */
    private void reset() {
        device.reset();
        for (QueueRegisters q : queues) {
            q.clear();
        }
        status = 0;
        interruptStatus = 0;
        driverFeatures = FeatureSet.NONE;
        needsResetReason = null;
    }
}
