package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.transport.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER_OK;
import static org.virtiotck.driver.transport.DeviceStatus.FEATURES_OK;

import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.mmio.MmioRegister;

/** Raw register writes and a hand-built ring in front of an {@link MmioDeviceModel}, for device tests. */
final class TestDriver {
    /** Guest memory deliberately does not start at 0, to catch base-offset mistakes. */
    static final long BASE = 0x4000_0000L;
    static final int MEMORY_BYTES = 4 << 20;
    static final int QUEUE_SIZE = 16;

    final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, MEMORY_BYTES);
    final MmioDeviceModel mmio;
    final TestRing ring = new TestRing(mem, BASE, QUEUE_SIZE);
    private long nextFree = BASE + 0x1_0000;

    TestDriver(VirtioDevice device) {
        this.mmio = new MmioDeviceModel(device, mem);
    }

    /** Fresh, 16-byte aligned guest memory. */
    long alloc(long bytes) {
        long at = nextFree;
        nextFree = (at + bytes + 15) & ~15L;
        return at;
    }

    long reg(int offset) {
        return mmio.read32(offset);
    }

    void reg(int offset, long value) {
        mmio.write32(offset, value);
    }

    int status() {
        return (int) reg(MmioRegister.STATUS);
    }

    int interruptStatus() {
        return (int) reg(MmioRegister.INTERRUPT_STATUS);
    }

    /**
     * Reset, ACKNOWLEDGE, DRIVER, write the features, set FEATURES_OK; returns the status read back. RING_PACKED
     * is never accepted: this driver lays out split rings by hand.
     */
    int negotiate(FeatureSet offered) {
        FeatureSet features = offered.without(Feature.RING_PACKED);
        reg(MmioRegister.STATUS, 0);
        reg(MmioRegister.STATUS, ACKNOWLEDGE);
        reg(MmioRegister.STATUS, ACKNOWLEDGE | DRIVER);
        for (int sel = 0; sel < 4; sel++) {
            reg(MmioRegister.DRIVER_FEATURES_SEL, sel);
            reg(MmioRegister.DRIVER_FEATURES, features.word(sel));
        }
        reg(MmioRegister.STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        return status();
    }

    /** Points queue 0 at {@link #ring} and enables it. */
    void setUpQueue() {
        reg(MmioRegister.QUEUE_SEL, 0);
        reg(MmioRegister.QUEUE_NUM, QUEUE_SIZE);
        reg(MmioRegister.QUEUE_DESC_LOW, ring.desc);
        reg(MmioRegister.QUEUE_DESC_HIGH, ring.desc >>> 32);
        reg(MmioRegister.QUEUE_DRIVER_LOW, ring.avail);
        reg(MmioRegister.QUEUE_DRIVER_HIGH, ring.avail >>> 32);
        reg(MmioRegister.QUEUE_DEVICE_LOW, ring.used);
        reg(MmioRegister.QUEUE_DEVICE_HIGH, ring.used >>> 32);
        reg(MmioRegister.QUEUE_READY, 1);
    }

    void driverOk() {
        reg(MmioRegister.STATUS, status() | DRIVER_OK);
    }

    /** The whole initialisation of §3.1.1 accepting every offered feature, ending with DRIVER_OK. */
    TestDriver start() {
        return start(mmio.device().offeredFeatures());
    }

    /** The whole initialisation of §3.1.1 accepting {@code features} (less RING_PACKED), ending with DRIVER_OK. */
    TestDriver start(FeatureSet features) {
        negotiate(features);
        setUpQueue();
        driverOk();
        return this;
    }

    void notifyQueue() {
        reg(MmioRegister.QUEUE_NOTIFY, 0);
    }
}
