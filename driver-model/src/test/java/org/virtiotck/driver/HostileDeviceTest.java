package org.virtiotck.driver;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.ConfigSpace;
import org.virtiotck.driver.transport.DeviceStatus;

/**
 * The driver model against devices that misbehave at the transport level: every case ends in a clear
 * exception or finding with the raw values, within the deadline, and never in a hang or a crash.
 * (Used-ring misbehaviour is covered per ring layout, in the ring tests.)
 */
class HostileDeviceTest {
    private static final Duration SHORT = Duration.ofMillis(100);

    private final ScriptedTransport device = new ScriptedTransport();
    private final GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 16);
    private final VirtioDriver driver = new VirtioDriver(device, new Allocator(memory, memory.base(), memory.size(), 16), SHORT);

    private Virtqueue started() {
        driver.negotiate(FeatureSet.NONE);
        Virtqueue q = driver.setupQueue(0, 16);
        driver.driverOk();
        return q;
    }

    private void oneRequest(Virtqueue q) {
        driver.submit(q, List.of(), List.of(driver.allocator().writable(4)));
    }

    @Test
    void statusThatNeverReadsZeroAfterResetMeetsTheDeadline() {
        device.onStatusWrite = v -> v == 0 ? DeviceStatus.ACKNOWLEDGE : v;
        device.status = DeviceStatus.ACKNOWLEDGE;
        DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, driver::reset);
        assertTrue(e.getMessage().contains("0x01 (ACKNOWLEDGE)"), e.getMessage());
    }

    @Test
    void clearedFeaturesOkIsANegotiationFailureWithTheStatusReadBack() {
        device.onStatusWrite = v -> v & ~DeviceStatus.FEATURES_OK;
        NegotiationException e = assertThrows(NegotiationException.class, () -> driver.negotiate(FeatureSet.NONE));
        assertEquals(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER, e.statusReadBack());
    }

    @Test
    void ringResetIsDeclinedWhereTheTransportCannotResetAQueue() {
        device.offered = device.offered.with(Feature.RING_RESET);
        assertFalse(driver.negotiate(FeatureSet.of(Feature.RING_RESET)).has(Feature.RING_RESET));
        device.queueResets = true;
        assertTrue(driver.negotiate(FeatureSet.of(Feature.RING_RESET)).has(Feature.RING_RESET));
    }

    @Test
    void queueResetThatNeverCompletesMeetsTheDeadline() {
        device.offered = device.offered.with(Feature.RING_RESET);
        device.queueResets = true;
        driver.negotiate(FeatureSet.of(Feature.RING_RESET));
        driver.setupQueue(0, 16);
        device.resetPending = () -> true;
        DeviceTimeoutException e = assertThrows(DeviceTimeoutException.class, () -> driver.resetQueue(0));
        assertTrue(e.getMessage().contains("reset register still reads 1"), e.getMessage());
    }

    @Test
    void featuresChangingDuringNegotiationAreAFinding() {
        device.beforeFeatureRead = () -> device.offered = device.offered.has(Feature.EVENT_IDX)
                ? device.offered.without(Feature.EVENT_IDX) : device.offered.with(Feature.EVENT_IDX);
        driver.negotiate(FeatureSet.NONE);
        assertEquals(Finding.Kind.DEVICE_FEATURES_CHANGED, driver.findings().get(0).kind());
    }

    @Test
    void configGenerationThatNeverSettlesMeetsTheDeadline() {
        int[] g = {0};
        device.generation = () -> g[0]++;
        assertThrows(DeviceTimeoutException.class, () -> ConfigSpace.read64(device, 0, Deadline.after(SHORT)));
    }

    @Test
    void queueSizeZeroIsRefusedClearly() {
        device.queueMax = 0;
        driver.negotiate(FeatureSet.NONE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> driver.setupQueue(0, 16));
        assertTrue(e.getMessage().contains("reads 0"), e.getMessage());
    }

    @Test
    void queueSizeThatIsNotAPowerOfTwoIsRoundedDown() {
        device.queueMax = 6;
        driver.negotiate(FeatureSet.NONE);
        assertEquals(4, driver.setupQueue(0, 16).size());
    }

    @Test
    void absurdQueueSizeIsCappedAtWhatTheDriverAsked() {
        device.queueMax = 0xffff_ffff;
        driver.negotiate(FeatureSet.NONE);
        assertEquals(16, driver.setupQueue(0, 16).size());
    }

    @Test
    void aDeviceThatNeverCompletesMeetsTheDeadline() {
        Virtqueue q = started();
        long start = System.nanoTime();
        assertThrows(DeviceTimeoutException.class, () -> oneRequest(q));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos());
    }

    @Test
    void needsResetMidRequestEndsTheWaitAtOnce() {
        Virtqueue q = started();
        device.onNotify = () -> device.status |= DeviceStatus.DEVICE_NEEDS_RESET;
        DeviceNeedsResetException e = assertThrows(DeviceNeedsResetException.class, () -> oneRequest(q));
        assertTrue(e.getMessage().contains("DEVICE_NEEDS_RESET"), e.getMessage());
    }

    @Test
    void interruptStormDoesNotStopACompletion() {
        Virtqueue q = started();
        device.interrupts = () -> 0x3;
        device.onNotify = () -> {
            long used = q.deviceArea();
            int head = memory.u16(q.driverArea() + 4);
            memory.putU32(used + 4, head);
            memory.putU32(used + 8, 4);
            memory.putU16Release(used + 2, 1);
        };
        for (int i = 0; i < 1000; i++) {
            device.takeInterrupts();
        }
        oneRequest(q);
        assertEquals(List.of(), driver.findings());
    }
}
