package org.virtiotck.harness.inproc;

import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.mmio.MmioRegister;

/**
 * The virtio-mmio version 2 register file (VIRTIO 1.2 §4.2.2) in front of one {@link VirtioDevice}: decodes
 * register accesses into calls on the transport-independent {@link DeviceCore}, and keeps the state only this
 * layout has (the feature and queue selectors).
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

    private static final long NO_SHM_REGION = 0xffff_ffffL;

    private final DeviceCore core;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int queueSel;

    public MmioDeviceModel(VirtioDevice device, GuestMemory memory) {
        this.core = new DeviceCore(device, memory, this);
    }

    public VirtioDevice device() {
        return core.device();
    }

    public GuestMemory memory() {
        return core.memory();
    }

    /** Why the device set DEVICE_NEEDS_RESET, while it is set: for reports, not visible to the driver. */
    public synchronized Optional<String> needsResetReason() {
        return core.needsResetReason();
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkWidth(width);
        if (offset >= MmioRegister.CONFIG) {
            return core.readConfig(offset - MmioRegister.CONFIG, width);
        }
        if (!isControlAccess(offset, width)) {
            return 0;
        }
        QueueRegisters q = core.queue(queueSel);
        return switch ((int) offset) {
            case MmioRegister.MAGIC_VALUE -> MmioRegister.MAGIC;
            case MmioRegister.VERSION -> VERSION;
            case MmioRegister.DEVICE_ID -> core.device().type().id();
            case MmioRegister.VENDOR_ID -> VENDOR_ID;
            case MmioRegister.DEVICE_FEATURES -> core.deviceFeatureWord(deviceFeaturesSel);
            case MmioRegister.QUEUE_NUM_MAX -> q == null ? 0 : core.maxQueueSize();
            case MmioRegister.QUEUE_READY -> q != null && q.ready ? 1 : 0;
            // A queue reset completes within the write (DeviceCore#writeQueueReset), so none is ever in progress.
            case MmioRegister.QUEUE_RESET -> 0;
            case MmioRegister.INTERRUPT_STATUS -> core.interruptStatus();
            case MmioRegister.STATUS -> core.status();
            // No shared memory regions exist, and a missing region reads as length and base all ones.
            case MmioRegister.SHM_LEN_LOW, MmioRegister.SHM_LEN_HIGH,
                    MmioRegister.SHM_BASE_LOW, MmioRegister.SHM_BASE_HIGH -> NO_SHM_REGION;
            case MmioRegister.CONFIG_GENERATION -> core.configGeneration();
            default -> 0;
        };
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkWidth(width);
        if (offset >= MmioRegister.CONFIG) {
            core.writeConfig(offset - MmioRegister.CONFIG, width, value);
            return;
        }
        if (!isControlAccess(offset, width)) {
            return;
        }
        long v = value & 0xffff_ffffL;
        QueueRegisters q = core.queue(queueSel);
        switch ((int) offset) {
            case MmioRegister.DEVICE_FEATURES_SEL -> deviceFeaturesSel = (int) v;
            case MmioRegister.DRIVER_FEATURES_SEL -> driverFeaturesSel = (int) v;
            case MmioRegister.DRIVER_FEATURES -> core.writeDriverFeatureWord(driverFeaturesSel, v);
            case MmioRegister.QUEUE_SEL -> queueSel = (int) v;
            case MmioRegister.QUEUE_NUM -> {
                if (DeviceCore.configurable(q)) {
                    q.num = (int) v;
                }
            }
            case MmioRegister.QUEUE_DESC_LOW, MmioRegister.QUEUE_DESC_HIGH,
                    MmioRegister.QUEUE_DRIVER_LOW, MmioRegister.QUEUE_DRIVER_HIGH,
                    MmioRegister.QUEUE_DEVICE_LOW, MmioRegister.QUEUE_DEVICE_HIGH -> {
                if (DeviceCore.configurable(q)) {
                    writeQueueAddress(q, (int) offset, v);
                }
            }
            case MmioRegister.QUEUE_READY -> core.writeQueueReady(queueSel, v);
            case MmioRegister.QUEUE_RESET -> core.writeQueueReset(queueSel, v);
            case MmioRegister.QUEUE_NOTIFY -> core.notifyQueue(v);
            case MmioRegister.INTERRUPT_ACK -> core.acknowledgeInterrupts((int) v);
            case MmioRegister.STATUS -> writeStatus(v);
            default -> {
                // Read-only, unknown, or a feature not offered (shared memory).
            }
        }
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("MMIO access width " + width + " is not 1, 2 or 4");
        }
    }

    private static boolean isControlAccess(long offset, int width) {
        return offset >= 0 && width == 4 && (offset & 3) == 0;
    }

    private static void writeQueueAddress(QueueRegisters q, int offset, long v) {
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

    /** A reset also returns the selectors to 0. */
    private void writeStatus(long v) {
        core.writeStatus(v);
        if (v == 0) {
            deviceFeaturesSel = 0;
            driverFeaturesSel = 0;
            queueSel = 0;
        }
    }
}
