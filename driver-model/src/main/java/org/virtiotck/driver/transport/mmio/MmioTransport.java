package org.virtiotck.driver.transport.mmio;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.Transport;

/**
 * The virtio-mmio version 2 transport (VIRTIO 1.2 §4.2), speaking to the register window through an
 * {@link MmioBus}. Control registers are only ever accessed 32 bits wide, as the driver must.
 * It does not check magic and version itself: probes read them to judge the device.
 */
public final class MmioTransport implements Transport {
    private final MmioBus bus;

    public MmioTransport(MmioBus bus) {
        this.bus = bus;
    }

    /** A raw 32-bit register read, for probes that judge register semantics themselves. */
    public long register(int offset) {
        return bus.read32(offset);
    }

    @Override
    public int deviceId() {
        return (int) bus.read32(DEVICE_ID);
    }

    @Override
    public int status() {
        return (int) bus.read32(STATUS);
    }

    @Override
    public void setStatus(int status) {
        bus.write32(STATUS, status);
    }

    @Override
    public FeatureSet deviceFeatures() {
        long[] words = new long[4];
        for (int sel = 0; sel < 4; sel++) {
            bus.write32(DEVICE_FEATURES_SEL, sel);
            words[sel] = bus.read32(DEVICE_FEATURES);
        }
        return FeatureSet.ofWords(words);
    }

    @Override
    public void setDriverFeatures(FeatureSet features) {
        // Words 2 and 3 only when they hold an accepted bit: after a reset they are 0 anyway, and a device of
        // 64-bit features (QEMU 7.2) takes any select above 1 for word 1, so writing their zeros would clear it.
        for (int sel = 0; sel < 4; sel++) {
            if (sel < 2 || features.word(sel) != 0) {
                bus.write32(DRIVER_FEATURES_SEL, sel);
                bus.write32(DRIVER_FEATURES, features.word(sel));
            }
        }
    }

    @Override
    public int queueMaxSize(int queue) {
        bus.write32(QUEUE_SEL, queue);
        return (int) bus.read32(QUEUE_NUM_MAX);
    }

    @Override
    public void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea) {
        bus.write32(QUEUE_SEL, queue);
        bus.write32(QUEUE_NUM, size);
        writePair(QUEUE_DESC_LOW, descriptorArea);
        writePair(QUEUE_DRIVER_LOW, driverArea);
        writePair(QUEUE_DEVICE_LOW, deviceArea);
    }

    private void writePair(int low, long value) {
        bus.write32(low, value & 0xffffffffL);
        bus.write32(low + 4, value >>> 32);
    }

    @Override
    public void setQueueReady(int queue, boolean ready) {
        bus.write32(QUEUE_SEL, queue);
        bus.write32(QUEUE_READY, ready ? 1 : 0);
    }

    @Override
    public boolean queueReady(int queue) {
        bus.write32(QUEUE_SEL, queue);
        return (bus.read32(QUEUE_READY) & 1) != 0;
    }

    @Override
    public boolean queueResetSupported() {
        return true;
    }

    @Override
    public void resetQueue(int queue) {
        bus.write32(QUEUE_SEL, queue);
        bus.write32(QUEUE_RESET, 1);
    }

    @Override
    public boolean queueResetPending(int queue) {
        bus.write32(QUEUE_SEL, queue);
        return (bus.read32(QUEUE_RESET) & 1) != 0;
    }

    @Override
    public void notifyQueue(int queue) {
        bus.write32(QUEUE_NOTIFY, queue);
    }

    @Override
    public int takeInterrupts() {
        int pending = (int) bus.read32(INTERRUPT_STATUS);
        if (pending != 0) {
            bus.write32(INTERRUPT_ACK, pending);
        }
        return pending;
    }

    @Override
    public int configGeneration() {
        return (int) bus.read32(CONFIG_GENERATION);
    }

    @Override
    public long readConfig(int offset, int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width " + width);
        }
        return bus.read(CONFIG + offset, width);
    }

    @Override
    public void writeConfig(int offset, int width, long value) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width " + width);
        }
        bus.write(CONFIG + offset, width, value);
    }
}
