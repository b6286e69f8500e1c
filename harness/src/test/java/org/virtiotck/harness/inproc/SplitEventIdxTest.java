package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.virtiotck.driver.ring.RingFeatures;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/** Notification suppression on a split ring: flags (§2.7.7), and event indices both ways (§2.7.7, §2.7.10). */
class SplitEventIdxTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestRing ring = new TestRing(mem, BASE, SIZE);
    private final SplitDeviceQueue queue = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used,
            new RingFeatures(false, true, false));
    private final long data = BASE + 0x1000;

    /** The driver makes {@code n} one-descriptor chains available, the device pops and returns them all. */
    private void complete(SplitDeviceQueue q, int n) {
        for (int i = 0; i < n; i++) {
            ring.submit(Buf.writable(data, 1));
            q.push(q.pop().orElseThrow(), 1);
        }
    }

    @Test
    void nothingPushedNeedsNoNotification() {
        assertFalse(queue.takeUsedNotification());
    }

    @Test
    void usedEventEqualToTheOldIdxNotifiesAndOnePastDoesNot() {
        ring.setUsedEvent(0);
        complete(queue, 1);                               // used idx 0 -> 1
        assertTrue(queue.takeUsedNotification(), "used_event 0 == old idx 0");

        ring.setUsedEvent(2);
        complete(queue, 1);                               // 1 -> 2
        assertFalse(queue.takeUsedNotification(), "used_event 2 is one past old idx 1");
        complete(queue, 1);                               // 2 -> 3
        assertTrue(queue.takeUsedNotification(), "used_event 2 == old idx 2");
        assertFalse(queue.takeUsedNotification(), "the same push is not judged twice");
    }

    @Test
    void severalPushesAreJudgedAsOneRange() {
        ring.setUsedEvent(2);
        complete(queue, 3);                               // 0 -> 3 covers 2
        assertTrue(queue.takeUsedNotification());
        ring.setUsedEvent(6);
        complete(queue, 3);                               // 3 -> 6 stops short of 6
        assertFalse(queue.takeUsedNotification());
    }

    @Test
    void usedEventWrapsWithTheIndex() {
        ring.setUsedEvent(0x8000);                        // far away: nothing notifies on the way
        for (int i = 0; i < 0xffff; i++) {
            complete(queue, 1);
            queue.takeUsedNotification();
        }
        assertEquals(0xffff, queue.usedIdx());
        ring.setUsedEvent(0xffff);
        complete(queue, 1);                               // 0xffff -> 0
        assertTrue(queue.takeUsedNotification());
        assertEquals(0, ring.usedIdx());
    }

    @Test
    void noInterruptFlagIsIgnoredWithEventIdx() {
        ring.setAvailFlags(1);
        ring.setUsedEvent(0);
        complete(queue, 1);
        assertTrue(queue.takeUsedNotification());
    }

    @Test
    void withoutEventIdxOnlyTheFlagCountsAndUsedEventIsIgnored() {
        SplitDeviceQueue plain = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used);
        ring.setUsedEvent(100);
        complete(plain, 1);
        assertTrue(plain.takeUsedNotification());
        ring.setAvailFlags(1);
        complete(plain, 1);
        assertFalse(plain.takeUsedNotification());
        ring.setAvailFlags(0);
        complete(plain, 1);
        assertTrue(plain.takeUsedNotification());
    }

    @Test
    void availEventNamesTheNextEntryOnceTheRingIsDrained() {
        ring.submit(Buf.writable(data, 1));
        ring.submit(Buf.writable(data, 1));
        queue.pop().orElseThrow();
        assertEquals(0, ring.availEvent(), "not drained yet: nothing written");
        queue.pop().orElseThrow();
        assertTrue(queue.pop().isEmpty());
        assertEquals(2, ring.availEvent(), "notify me when you fill entry 2");
        assertEquals(0, ring.usedFlags(), "used flags stay 0 with EVENT_IDX");
    }

    @Test
    void bufferPublishedWhileTheDeviceAsksForAKickIsNotMissed() {
        GuestMemory racing = RacingMemory.after(mem, ring.used + 4 + 8L * SIZE, () -> ring.submit(Buf.writable(data, 1)));
        SplitDeviceQueue q = new SplitDeviceQueue(racing, SIZE, ring.desc, ring.avail, ring.used,
                new RingFeatures(false, true, false));
        assertTrue(q.pop().isPresent(), "the device looks again after writing avail_event");
        assertTrue(q.pop().isEmpty());
    }

    @Test
    void availEventIsLeftAloneWithoutEventIdx() {
        SplitDeviceQueue plain = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used);
        complete(plain, 2);
        assertTrue(plain.pop().isEmpty());
        assertEquals(0, ring.availEvent());
        assertEquals(0, ring.usedFlags());
    }
}
