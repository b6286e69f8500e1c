package org.virtiotck.harness.inproc;

import org.virtiotck.driver.blk.BlkRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.driver.transport.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.driver.transport.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER_OK;
import static org.virtiotck.driver.transport.DeviceStatus.FEATURES_OK;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;

class MmioDeviceModelTest {
    private final BlkDevice blk = new BlkDevice(16, "mmio", false);
    private final TestDriver driver = new TestDriver(blk);

    /** A FLUSH request (header + status byte); returns the status byte's address. */
    private long submitFlush() {
        long hdr = driver.alloc(16);
        driver.mem.putU32(hdr, BlkRequest.T_FLUSH);
        long status = driver.alloc(1);
        driver.ring.submit(Buf.readable(hdr, 16), Buf.writable(status, 1));
        return status;
    }

    @Test
    void identifiesAsVersion2BlockDevice() {
        assertEquals(0x74726976L, driver.reg(MmioRegister.MAGIC_VALUE));
        assertEquals(2, driver.reg(MmioRegister.VERSION));
        assertEquals(2, driver.reg(MmioRegister.DEVICE_ID));
        assertEquals(MmioDeviceModel.VENDOR_ID, driver.reg(MmioRegister.VENDOR_ID));
    }

    @Test
    void deviceFeaturesAreReadOneWordPerSelect() {
        driver.reg(MmioRegister.DEVICE_FEATURES_SEL, 0);
        assertEquals(1L << 1 | 1L << 2 | 1L << 6 | 1L << 9 | 1L << 11 | 1L << 13 | 1L << 14 | 1L << 16 | 1L << 28
                        | 1L << 29, driver.reg(MmioRegister.DEVICE_FEATURES),
                "SIZE_MAX, SEG_MAX, BLK_SIZE, FLUSH, CONFIG_WCE, DISCARD, WRITE_ZEROES, SECURE_ERASE, INDIRECT_DESC, "
                        + "EVENT_IDX");
        driver.reg(MmioRegister.DEVICE_FEATURES_SEL, 1);
        assertEquals(1 | 1 << 2 | 1 << 3 | 1 << 8, driver.reg(MmioRegister.DEVICE_FEATURES),
                "VERSION_1 is bit 32, RING_PACKED bit 34, IN_ORDER bit 35, RING_RESET bit 40");
        for (long sel : new long[] {2, 3, 4, 0xffff_ffffL}) {
            driver.reg(MmioRegister.DEVICE_FEATURES_SEL, sel);
            assertEquals(0, driver.reg(MmioRegister.DEVICE_FEATURES), "select " + sel);
        }
    }

    @Test
    void featuresOkSticksForAnOfferedSubset() {
        int status = driver.negotiate(FeatureSet.of(Feature.VERSION_1, Feature.BLK_FLUSH));
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, status, DeviceStatus.describe(status));
    }

    @Test
    void featuresOkIsRefusedForAFeatureNotOffered() {
        int status = driver.negotiate(FeatureSet.of(Feature.VERSION_1, Feature.BLK_RO));
        assertEquals(ACKNOWLEDGE | DRIVER, status, DeviceStatus.describe(status));
    }

    @Test
    void featuresOkIsRefusedWithoutVersion1() {
        int status = driver.negotiate(FeatureSet.of(Feature.BLK_FLUSH));
        assertEquals(ACKNOWLEDGE | DRIVER, status, DeviceStatus.describe(status));
    }

    @Test
    void driverFeaturesAreFrozenAfterFeaturesOk() {
        driver.negotiate(FeatureSet.of(Feature.VERSION_1));
        driver.reg(MmioRegister.DRIVER_FEATURES_SEL, 0);
        driver.reg(MmioRegister.DRIVER_FEATURES, 1L << 5);
        assertNotEquals(0, driver.status() & FEATURES_OK);
    }

    @Test
    void resetClearsStatusQueueReadyAndInterrupts() {
        driver.start();
        submitFlush();
        driver.notifyQueue();
        assertEquals(MmioRegister.INT_USED_BUFFER, driver.interruptStatus());

        driver.reg(MmioRegister.STATUS, 0);

        assertEquals(0, driver.status());
        assertEquals(0, driver.interruptStatus());
        driver.reg(MmioRegister.QUEUE_SEL, 0);
        assertEquals(0, driver.reg(MmioRegister.QUEUE_READY));
    }

    @Test
    void queueResetStopsTheQueueAtOnce() {
        driver.start(blk.offeredFeatures().with(Feature.RING_RESET));
        submitFlush();
        driver.notifyQueue();
        assertEquals(1, driver.ring.usedIdx());
        driver.reg(MmioRegister.QUEUE_SEL, 0);
        driver.reg(MmioRegister.QUEUE_RESET, 1);
        assertEquals(0, driver.reg(MmioRegister.QUEUE_RESET), "the reset completes within the write");
        assertEquals(0, driver.reg(MmioRegister.QUEUE_READY));
        driver.reg(MmioRegister.INTERRUPT_ACK, MmioRegister.INT_USED_BUFFER);
        submitFlush();
        driver.notifyQueue();
        assertEquals(1, driver.ring.usedIdx(), "a reset queue is not served");
        assertEquals(0, driver.interruptStatus(), "nor notified for");
    }

    @Test
    void queueResetIsIgnoredWithoutRingReset() {
        driver.start();
        driver.reg(MmioRegister.QUEUE_SEL, 0);
        driver.reg(MmioRegister.QUEUE_RESET, 1);
        assertEquals(1, driver.reg(MmioRegister.QUEUE_READY));
    }

    @Test
    void interruptAckClearsOnlyTheAcknowledgedBits() {
        driver.start();
        submitFlush();
        driver.notifyQueue();
        driver.reg(MmioRegister.INTERRUPT_ACK, MmioRegister.INT_CONFIG_CHANGE);
        assertEquals(MmioRegister.INT_USED_BUFFER, driver.interruptStatus());
        driver.reg(MmioRegister.INTERRUPT_ACK, MmioRegister.INT_USED_BUFFER);
        assertEquals(0, driver.interruptStatus());
    }

    @Test
    void suppressedUsedNotificationRaisesNoInterrupt() {
        driver.start(blk.offeredFeatures().without(Feature.EVENT_IDX));
        driver.ring.setAvailFlags(1);
        submitFlush();
        driver.notifyQueue();
        assertEquals(1, driver.ring.usedIdx());
        assertEquals(0, driver.interruptStatus());
    }

    @Test
    void queueNumMaxIsZeroForQueuesThatDoNotExist() {
        driver.reg(MmioRegister.QUEUE_SEL, 0);
        assertEquals(BlkDevice.MAX_QUEUE_SIZE, driver.reg(MmioRegister.QUEUE_NUM_MAX));
        driver.reg(MmioRegister.QUEUE_SEL, 1);
        assertEquals(0, driver.reg(MmioRegister.QUEUE_NUM_MAX));
        driver.reg(MmioRegister.QUEUE_READY, 1);
        assertEquals(0, driver.reg(MmioRegister.QUEUE_READY));
    }

    @Test
    void queueRegistersAreIgnoredWhileReady() {
        driver.start();
        driver.reg(MmioRegister.QUEUE_NUM, 4);
        driver.reg(MmioRegister.QUEUE_DESC_LOW, 0);
        long status = submitFlush();
        driver.notifyQueue();
        assertEquals(BlkRequest.S_OK, driver.mem.u8(status));
        assertEquals(0, driver.status() & DEVICE_NEEDS_RESET);
    }

    @Test
    void notifyBeforeDriverOkProcessesNothing() {
        driver.negotiate(blk.offeredFeatures());
        driver.setUpQueue();
        submitFlush();
        driver.notifyQueue();
        assertEquals(0, driver.ring.usedIdx());
        assertEquals(0, driver.interruptStatus());

        driver.driverOk();
        driver.notifyQueue();
        assertEquals(1, driver.ring.usedIdx());
    }

    @Test
    void notifyOfAQueueNotReadyProcessesNothing() {
        driver.negotiate(blk.offeredFeatures());
        driver.driverOk();
        submitFlush();
        driver.notifyQueue();
        assertEquals(0, driver.ring.usedIdx());
    }

    @Test
    void descriptorLoopNeedsResetAndDoesNotHang() {
        driver.start();
        driver.ring.descriptor(0, driver.alloc(16), 16, TestRing.F_NEXT, 1);
        driver.ring.descriptor(1, driver.alloc(16), 16, TestRing.F_NEXT, 0);
        driver.ring.publish(0);
        assertTimeoutPreemptively(Duration.ofSeconds(10), driver::notifyQueue);
        assertNeedsReset();
    }

    @Test
    void nextIndexOutOfRangeNeedsReset() {
        driver.start();
        driver.ring.descriptor(0, driver.alloc(16), 16, TestRing.F_NEXT, TestDriver.QUEUE_SIZE);
        driver.ring.publish(0);
        driver.notifyQueue();
        assertNeedsReset();
    }

    @Test
    void brokenQueueStaysStoppedUntilReset() {
        driver.start();
        driver.ring.descriptor(0, driver.alloc(16), 16, TestRing.F_NEXT, 99);
        driver.ring.publish(0);
        driver.notifyQueue();
        long status = submitFlush();
        driver.notifyQueue();
        assertEquals(0, driver.ring.usedIdx());
        assertEquals(0, driver.mem.u8(status));

        driver.reg(MmioRegister.STATUS, 0);
        assertEquals(0, driver.status());
        assertTrue(driver.mmio.needsResetReason().isEmpty());
    }

    @Test
    void unusableQueueLayoutNeedsReset() {
        driver.negotiate(blk.offeredFeatures());
        driver.reg(MmioRegister.QUEUE_SEL, 0);
        driver.reg(MmioRegister.QUEUE_NUM, 3);
        driver.reg(MmioRegister.QUEUE_READY, 1);
        assertNotEquals(0, driver.status() & DEVICE_NEEDS_RESET);
        assertEquals(0, driver.interruptStatus(), "no notification before DRIVER_OK");
        assertEquals(1, driver.reg(MmioRegister.QUEUE_READY));
    }

    @Test
    void configReadsOfAnyWidthAndOutsideReadZero() {
        assertEquals(16, driver.reg(MmioRegister.CONFIG));
        assertEquals(16, driver.mmio.read(MmioRegister.CONFIG, 1));
        assertEquals(16, driver.mmio.read(MmioRegister.CONFIG, 2));
        assertEquals(2, driver.mmio.read(MmioRegister.CONFIG + 21, 1), "blk_size 512 = 0x200");
        assertEquals(0x0200_0000L, driver.mmio.read(MmioRegister.CONFIG + 18, 4), "unaligned read across fields");
        assertEquals(0, driver.mmio.read(MmioRegister.CONFIG + 70, 4), "partly outside the 72-byte config");
        assertEquals(0, driver.mmio.read(MmioRegister.CONFIG + 4096, 4));
    }

    @Test
    void writeOnlyAndUnknownRegistersReadZero() {
        driver.reg(MmioRegister.QUEUE_NUM, 8);
        assertEquals(0, driver.reg(MmioRegister.QUEUE_NUM));
        assertEquals(0, driver.reg(MmioRegister.QUEUE_NOTIFY));
        assertEquals(0, driver.reg(0x0e0));
        assertEquals(0, driver.mmio.read(MmioRegister.MAGIC_VALUE, 2), "control registers are 32-bit only");
        driver.reg(MmioRegister.MAGIC_VALUE, 0);
        assertEquals(0x74726976L, driver.reg(MmioRegister.MAGIC_VALUE));
    }

    private void assertNeedsReset() {
        int status = driver.status();
        assertNotEquals(0, status & DEVICE_NEEDS_RESET, DeviceStatus.describe(status));
        assertNotEquals(0, status & DRIVER_OK);
        assertNotEquals(0, driver.interruptStatus() & MmioRegister.INT_CONFIG_CHANGE);
        assertEquals(0, driver.ring.usedIdx());
    }
}
