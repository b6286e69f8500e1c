package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/** Event suppression on a packed ring with VIRTIO_F_EVENT_IDX (§2.8.10, §2.8.14). */
class PackedEventIdxTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestPackedRing ring = new TestPackedRing(mem, BASE, SIZE);
    private final PackedDeviceQueue queue = new PackedDeviceQueue(mem, SIZE, ring.desc, ring.driverEvent,
            ring.deviceEvent, new RingFeatures(false, true, false));
    private final long data = BASE + 0x1000;
    private int nextId;

    /** The driver makes a chain of {@code descriptors} writable buffers available; the device takes and returns it. */
    private void complete(int descriptors) {
        Buf[] bufs = new Buf[descriptors];
        Arrays.fill(bufs, Buf.writable(data, 1));
        ring.submit(nextId++, bufs);
        queue.push(queue.pop().orElseThrow(), 1);
    }

    @Test
    void descModeNotifiesOnlyWhenTheUsedPositionPassesTheNamedSlot() {
        ring.driverEvent(offWrap(1, true), EVENT_DESC);
        complete(1);                                      // slot 0
        assertFalse(queue.takeUsedNotification(), "slot 1 not reached");
        complete(1);                                      // slot 1
        assertTrue(queue.takeUsedNotification(), "slot 1 used");
        complete(1);                                      // slot 2
        assertFalse(queue.takeUsedNotification(), "slot 1 was passed before this push");
    }

    @Test
    void aChainCoveringTheNamedSlotNotifies() {
        ring.driverEvent(offWrap(1, true), EVENT_DESC);
        complete(3);                                      // slots 0..2, one used descriptor at 0
        assertTrue(queue.takeUsedNotification());
    }

    @Test
    void namedSlotInThePreviousLap() {
        complete(1);
        complete(1);
        complete(1);                                      // slots 0, 1, 2 of the first lap
        queue.takeUsedNotification();
        complete(2);                                      // slot 3 of lap 1 and slot 0 of lap 2; now at 1, wrap 0
        assertEquals(1, queue.nextUsed());
        assertFalse(queue.usedWrapCounter());
        ring.driverEvent(offWrap(3, true), EVENT_DESC);
        assertTrue(queue.takeUsedNotification(), "slot 3 of the previous lap was just passed");

        complete(1);                                      // slot 1 of lap 2
        ring.driverEvent(offWrap(2, true), EVENT_DESC);
        assertFalse(queue.takeUsedNotification(), "slot 2 of the previous lap was passed long ago");
        complete(1);                                      // slot 2 of lap 2
        ring.driverEvent(offWrap(2, false), EVENT_DESC);
        assertTrue(queue.takeUsedNotification(), "slot 2 of this lap");
        complete(1);                                      // slot 3 of lap 2
        ring.driverEvent(offWrap(0, true), EVENT_DESC);
        assertFalse(queue.takeUsedNotification(), "slot 0 of the next lap is still ahead");
    }

    @Test
    void aWholeLapPassesEverySlot() {
        ring.driverEvent(offWrap(2, false), EVENT_DESC);
        for (int i = 0; i < SIZE; i++) {
            complete(1);
        }
        assertTrue(queue.takeUsedNotification());
    }

    @Test
    void enableAndDisableStillApplyWithEventIdx() {
        ring.driverEvent(offWrap(3, true), EVENT_DISABLE);
        complete(1);
        assertFalse(queue.takeUsedNotification());
        ring.driverEvent(offWrap(3, true), EVENT_ENABLE);
        complete(1);
        assertTrue(queue.takeUsedNotification(), "ENABLE ignores off_wrap");
    }

    @Test
    void deviceEventNamesTheNextAvailablePositionOnceTheRingIsDrained() {
        assertTrue(queue.pop().isEmpty());
        assertEquals(EVENT_DESC, ring.deviceEventFlags());
        assertEquals(offWrap(0, true), ring.deviceEventOffWrap());

        ring.submit(0, Buf.readable(data, 1), Buf.writable(data, 1), Buf.writable(data, 1));
        DescriptorChain c = queue.pop().orElseThrow();
        assertTrue(queue.pop().isEmpty());
        assertEquals(offWrap(3, true), ring.deviceEventOffWrap());
        queue.push(c, 2);
        ring.submit(1, Buf.readable(data, 1), Buf.writable(data, 1));    // slots 3 and 0
        queue.pop().orElseThrow();
        assertTrue(queue.pop().isEmpty());
        assertEquals(offWrap(1, false), ring.deviceEventOffWrap(), "slot 1 in the second lap");
        assertEquals(EVENT_DESC, ring.deviceEventFlags());
    }

    @Test
    void bufferMadeAvailableWhileTheDeviceAsksForAKickIsNotMissed() {
        GuestMemory racing = RacingMemory.after(mem, ring.deviceEvent + EVENT_FLAGS,
                () -> ring.submit(0, Buf.writable(data, 1)));
        PackedDeviceQueue q = new PackedDeviceQueue(racing, SIZE, ring.desc, ring.driverEvent, ring.deviceEvent,
                new RingFeatures(false, true, false));
        assertTrue(q.pop().isPresent(), "the device looks again after writing its event structure");
        assertTrue(q.pop().isEmpty());
    }

    @Test
    void deviceEventIsLeftAloneWithoutEventIdx() {
        PackedDeviceQueue plain = new PackedDeviceQueue(mem, SIZE, ring.desc, ring.driverEvent, ring.deviceEvent);
        ring.submit(0, Buf.writable(data, 1));
        plain.pop().orElseThrow();
        assertTrue(plain.pop().isEmpty());
        assertEquals(EVENT_ENABLE, ring.deviceEventFlags());
        assertEquals(0, ring.deviceEventOffWrap());
    }
}
