package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.transport.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER_OK;
import static org.virtiotck.driver.transport.DeviceStatus.FEATURES_OK;

import java.util.Optional;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.mmio.MmioRegister;

/**
 * The virtio-mmio version 2 register file (VIRTIO 1.2 §4.2.2) in front of one {@link VirtioDevice}.
 * All transport state (status, feature selects, queue registers, interrupt status) lives here; the device
 * only sees negotiated features, resets and ready queues.
 *
 * <p>Queue notifications are handled synchronously in the writing thread, so a driver sees the used ring
 * updated when its QueueNotify write returns. Register accesses are serialised on this object.
 *
 * <p>Accesses the spec does not define get a quiet answer rather than an exception, because a conformance
 * driver may probe them on purpose: reads return 0, writes are ignored. Control registers are only defined
 * as aligned 32-bit accesses, so other widths there count as undefined too.
 */
public class MmioDeviceModel implements MmioBus {
    public static final long VERSION = 2;
    /** "VTCK" in little-endian ASCII: this project's vendor id, so nobody mistakes it for a real vendor's. */
    public static final long VENDOR_ID = 0x4b435456L;

    private static final int STATUS_BITS = 0xff;
    private static final long NO_SHM_REGION = 0xffff_ffffL;

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final QueueRegisters[] queues;

    private int status;
    private int interruptStatus;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private FeatureSet driverFeatures = FeatureSet.NONE;
    private int queueSel;
    private String needsResetReason;

    public MmioDeviceModel(VirtioDevice device, GuestMemory memory) {
        this.device = device;
        this.memory = memory;
        this.queues = new QueueRegisters[device.queueCount()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueRegisters();
        }
    }

    public VirtioDevice device() {
        return device;
    }

    public GuestMemory memory() {
        return memory;
    }

    /** Why the device set DEVICE_NEEDS_RESET, while it is set: for reports, not visible to the driver. */
    public synchronized Optional<String> needsResetReason() {
        return Optional.ofNullable(needsResetReason);
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkWidth(width);
        if (offset >= MmioRegister.CONFIG) {
            return readConfig(offset - MmioRegister.CONFIG, width);
        }
        if (!isControlAccess(offset, width)) {
            return 0;
        }
        QueueRegisters q = selectedQueue();
        return switch ((int) offset) {
            case MmioRegister.MAGIC_VALUE -> MmioRegister.MAGIC;
            case MmioRegister.VERSION -> VERSION;
            case MmioRegister.DEVICE_ID -> device.type().id();
            case MmioRegister.VENDOR_ID -> VENDOR_ID;
            case MmioRegister.DEVICE_FEATURES -> device.offeredFeatures().word(deviceFeaturesSel);
            case MmioRegister.QUEUE_NUM_MAX -> q == null ? 0 : device.maxQueueSize();
            case MmioRegister.QUEUE_READY -> q != null && q.ready ? 1 : 0;
            case MmioRegister.INTERRUPT_STATUS -> interruptStatus;
            case MmioRegister.STATUS -> status;
            // No shared memory regions exist, and a missing region reads as length and base all ones.
            case MmioRegister.SHM_LEN_LOW, MmioRegister.SHM_LEN_HIGH,
                    MmioRegister.SHM_BASE_LOW, MmioRegister.SHM_BASE_HIGH -> NO_SHM_REGION;
            // The config space of these devices never changes after creation, so one generation suffices.
            case MmioRegister.CONFIG_GENERATION -> 0;
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkWidth(width);
        if (offset >= MmioRegister.CONFIG || !isControlAccess(offset, width)) {
            // No device here has driver-writable config fields.
            return;
        }
        long v = value & 0xffff_ffffL;
        QueueRegisters q = selectedQueue();
        switch ((int) offset) {
            case MmioRegister.DEVICE_FEATURES_SEL -> deviceFeaturesSel = (int) v;
            case MmioRegister.DRIVER_FEATURES_SEL -> driverFeaturesSel = (int) v;
            case MmioRegister.DRIVER_FEATURES -> writeDriverFeatures(v);
            case MmioRegister.QUEUE_SEL -> queueSel = (int) v;
            case MmioRegister.QUEUE_NUM -> {
                if (isConfigurable(q)) {
                    q.num = (int) v;
                }
            }
            case MmioRegister.QUEUE_DESC_LOW, MmioRegister.QUEUE_DESC_HIGH,
                    MmioRegister.QUEUE_DRIVER_LOW, MmioRegister.QUEUE_DRIVER_HIGH,
                    MmioRegister.QUEUE_DEVICE_LOW, MmioRegister.QUEUE_DEVICE_HIGH -> {
                if (isConfigurable(q)) {
                    writeQueueAddress(q, (int) offset, v);
                }
            }
            case MmioRegister.QUEUE_READY -> {
                if (q != null) {
                    writeQueueReady(q, v);
                }
            }
            case MmioRegister.QUEUE_NOTIFY -> notifyQueue(v);
            case MmioRegister.INTERRUPT_ACK -> interruptStatus &= (int) ~v;
            case MmioRegister.STATUS -> writeStatus(v);
            default -> {
                // Read-only, unknown, or a feature not offered (QueueReset, shared memory).
            }
        }
    }

    /**
     * Whether the device takes the driver's feature set at FEATURES_OK (§2.2.2: it may refuse, and then must
     * not let FEATURES_OK stick). Only subsets of the offered features are valid, and VERSION_1 is required
     * because these devices have no legacy interface (§2.2.3).
     */
    protected boolean featuresAcceptable(FeatureSet accepted) {
        return accepted.minus(device.offeredFeatures()).isEmpty() && accepted.has(Feature.VERSION_1);
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("MMIO access width " + width + " is not 1, 2 or 4");
        }
    }

    private static boolean isControlAccess(long offset, int width) {
        return offset >= 0 && width == 4 && (offset & 3) == 0;
    }

    private long readConfig(long configOffset, int width) {
        byte[] config = device.config();
        if (configOffset > config.length - width) {
            return 0;
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | config[(int) configOffset + i] & 0xff;
        }
        return v;
    }

    /** The queue QueueSel points at, or null when the device has no such queue. */
    private QueueRegisters selectedQueue() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    /** The driver may only change a queue's size and addresses while it is not ready (§4.2.2.2). */
    private static boolean isConfigurable(QueueRegisters q) {
        return q != null && !q.ready;
    }

    private void writeQueueAddress(QueueRegisters q, int offset, long v) {
        switch (offset) {
            case MmioRegister.QUEUE_DESC_LOW -> q.descArea = QueueRegisters.withLow(q.descArea, v);
            case MmioRegister.QUEUE_DESC_HIGH -> q.descArea = QueueRegisters.withHigh(q.descArea, v);
            case MmioRegister.QUEUE_DRIVER_LOW -> q.driverArea = QueueRegisters.withLow(q.driverArea, v);
            case MmioRegister.QUEUE_DRIVER_HIGH -> q.driverArea = QueueRegisters.withHigh(q.driverArea, v);
            case MmioRegister.QUEUE_DEVICE_LOW -> q.deviceArea = QueueRegisters.withLow(q.deviceArea, v);
            case MmioRegister.QUEUE_DEVICE_HIGH -> q.deviceArea = QueueRegisters.withHigh(q.deviceArea, v);
            default -> throw new IllegalStateException("not a queue address register: 0x" + Integer.toHexString(offset));
        }
    }

    private void writeDriverFeatures(long word) {
        // Features are fixed once FEATURES_OK has stuck; only a reset renegotiates (§2.2).
        if ((status & FEATURES_OK) != 0 || driverFeaturesSel < 0 || driverFeaturesSel > 3) {
            return;
        }
        driverFeatures = driverFeatures.withWord(driverFeaturesSel, word);
    }

    private void writeQueueReady(QueueRegisters q, long v) {
        if (v == 0) {
            q.ready = false;
            q.live = null;
            return;
        }
        if (v != 1 || q.ready) {
            return;
        }
        q.ready = true;
        Optional<String> problem = q.num > device.maxQueueSize()
                ? Optional.of("queue size " + q.num + " exceeds QueueNumMax " + device.maxQueueSize())
                : SplitDeviceQueue.layoutProblem(memory, q.num, q.descArea, q.driverArea, q.deviceArea);
        if (problem.isPresent()) {
            // The queue reads back as ready (the register returns what was written) but can never be used.
            q.broken = true;
            enterNeedsReset("queue " + queueSel + ": " + problem.get());
            return;
        }
        q.live = new SplitDeviceQueue(memory, q.num, q.descArea, q.driverArea, q.deviceArea);
    }

    private void notifyQueue(long index) {
        // No buffers are consumed before DRIVER_OK (§2.1.2), and never from a queue that is not ready (§4.2.2.1).
        if ((status & DRIVER_OK) == 0 || index >= queues.length) {
            return;
        }
        QueueRegisters q = queues[(int) index];
        if (!q.ready || q.broken || q.live == null) {
            return;
        }
        DeviceQueue queue = q.live;
        int usedBefore = queue.usedIdx();
        try {
            device.process((int) index, queue);
        } catch (MalformedChainException e) {
            q.broken = true;
            enterNeedsReset("queue " + index + ": " + e.getMessage());
        } finally {
            if (queue.usedIdx() != usedBefore && !queue.usedNotificationSuppressed()) {
                interruptStatus |= MmioRegister.INT_USED_BUFFER;
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
            interruptStatus |= MmioRegister.INT_CONFIG_CHANGE;
        }
    }

    private void writeStatus(long v) {
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

    /** §2.4 and §4.2.2.1: status, interrupt status and every QueueReady go back to 0. */
    private void reset() {
        device.reset();
        for (QueueRegisters q : queues) {
            q.clear();
        }
        status = 0;
        interruptStatus = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        driverFeatures = FeatureSet.NONE;
        queueSel = 0;
        needsResetReason = null;
    }
}
