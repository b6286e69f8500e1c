package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/** In-order batches (§2.7.9, §2.8.8): one used entry for several chains, on both layouts. */
class InOrderBatchTest {
    private static final long BASE = 0x8000;
    private static final RingFeatures IN_ORDER = new RingFeatures(false, false, true);

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final long data = BASE + 0x3000;

    @Test
    void splitBatchWritesOneElementAtTheFirstSlotAndAdvancesUsedIdxByTheBatch() {
        TestRing ring = new TestRing(mem, BASE, 8);
        SplitDeviceQueue queue = new SplitDeviceQueue(mem, 8, ring.desc, ring.avail, ring.used, IN_ORDER);
        mem.fill(ring.used + 4, 8 * 8, (byte) 0xee);
        ring.submit(Buf.writable(data, 4));
        ring.submit(Buf.readable(data, 4), Buf.writable(data, 4));
        int lastHead = ring.submit(Buf.writable(data, 8));
        List<DescriptorChain> chains = List.of(queue.pop().orElseThrow(), queue.pop().orElseThrow(),
                queue.pop().orElseThrow());

        queue.pushBatch(chains, 5);

        assertEquals(3, ring.usedIdx(), "used idx moves by the number of buffers");
        assertEquals(3, queue.usedIdx());
        assertEquals(lastHead, ring.usedId(0), "id of the last buffer, where the first buffer's entry goes");
        assertEquals(5, ring.usedLen(0));
        assertEquals(0xeeee_eeeeL, ring.usedId(1), "skipped entries are not written");
        assertEquals(0xeeee_eeeeL, ring.usedId(2));

        int next = ring.submit(Buf.writable(data, 1));
        queue.push(queue.pop().orElseThrow(), 1);
        assertEquals(next, ring.usedId(3), "the next entry goes where the next buffer was made available");
        assertEquals(4, ring.usedIdx());
    }

    @Test
    void splitBatchIsJudgedForNotificationAsOneRange() {
        TestRing ring = new TestRing(mem, BASE, 8);
        SplitDeviceQueue queue = new SplitDeviceQueue(mem, 8, ring.desc, ring.avail, ring.used,
                new RingFeatures(false, true, true));
        ring.setUsedEvent(1);                             // the driver wants to hear once the second buffer is used
        ring.submit(Buf.writable(data, 1));
        ring.submit(Buf.writable(data, 1));
        ring.submit(Buf.writable(data, 1));
        queue.pushBatch(List.of(queue.pop().orElseThrow(), queue.pop().orElseThrow(), queue.pop().orElseThrow()), 1);
        assertTrue(queue.takeUsedNotification());
    }

    @Test
    void packedBatchWritesOneDescriptorAndSkipsEveryDescriptorOfTheBatch() {
        TestPackedRing ring = new TestPackedRing(mem, BASE, 8);
        PackedDeviceQueue queue = new PackedDeviceQueue(mem, 8, ring.desc, ring.driverEvent, ring.deviceEvent,
                IN_ORDER);
        ring.submit(10, Buf.readable(data, 4), Buf.writable(data, 4));                       // slots 0, 1
        ring.submit(11, Buf.writable(data, 4));                                              // slot 2
        ring.submit(12, Buf.readable(data, 4), Buf.writable(data, 4), Buf.writable(data, 4)); // slots 3..5
        List<DescriptorChain> chains = List.of(queue.pop().orElseThrow(), queue.pop().orElseThrow(),
                queue.pop().orElseThrow());

        queue.pushBatch(chains, 7);

        assertEquals(12, ring.id(0), "buffer id of the last chain, over the batch's first descriptor");
        assertEquals(7, ring.len(0));
        assertTrue(isUsed(ring.flags(0), true));
        assertTrue((ring.flags(0) & F_WRITE) != 0);
        assertFalse(isUsed(ring.flags(2), true), "skipped descriptors are left alone");
        assertFalse(isUsed(ring.flags(3), true));
        assertEquals(6, queue.nextUsed(), "skips 2 + 1 + 3 descriptors");
        assertEquals(1, queue.usedIdx(), "one used descriptor written");

        ring.submit(13, Buf.writable(data, 1), Buf.writable(data, 1), Buf.writable(data, 1)); // slots 6, 7, 0
        queue.push(queue.pop().orElseThrow(), 1);
        assertEquals(13, ring.id(6));
        assertEquals(1, queue.nextUsed());
        assertFalse(queue.usedWrapCounter());
    }

    @Test
    void packedBatchCountsAnIndirectChainAsOneDescriptor() {
        TestPackedRing ring = new TestPackedRing(mem, BASE, 8);
        PackedDeviceQueue queue = new PackedDeviceQueue(mem, 8, ring.desc, ring.driverEvent, ring.deviceEvent,
                new RingFeatures(true, false, true));
        ring.submitIndirect(1, BASE + 0x2000, 0, Buf.readable(data, 4), Buf.writable(data, 4));  // slot 0
        ring.submit(2, Buf.readable(data, 4), Buf.writable(data, 4));                            // slots 1, 2
        queue.pushBatch(List.of(queue.pop().orElseThrow(), queue.pop().orElseThrow()), 4);
        assertEquals(2, ring.id(0));
        assertEquals(3, queue.nextUsed());
    }

    @Test
    void withoutInOrderThereIsNoBatch() {
        TestRing split = new TestRing(mem, BASE, 8);
        SplitDeviceQueue s = new SplitDeviceQueue(mem, 8, split.desc, split.avail, split.used);
        split.submit(Buf.writable(data, 1));
        List<DescriptorChain> one = List.of(s.pop().orElseThrow());
        assertThrows(IllegalStateException.class, () -> s.pushBatch(one, 1));
        assertEquals(0, split.usedIdx());

        TestPackedRing packed = new TestPackedRing(mem, BASE + 0x1000, 8);
        PackedDeviceQueue p = new PackedDeviceQueue(mem, 8, packed.desc, packed.driverEvent, packed.deviceEvent);
        packed.submit(0, Buf.writable(data, 1));
        List<DescriptorChain> other = List.of(p.pop().orElseThrow());
        assertThrows(IllegalStateException.class, () -> p.pushBatch(other, 1));
        assertEquals(0, p.nextUsed());
    }

    @Test
    void batchesThatWereNotTakenAreRefused() {
        TestPackedRing ring = new TestPackedRing(mem, BASE, 8);
        PackedDeviceQueue queue = new PackedDeviceQueue(mem, 8, ring.desc, ring.driverEvent, ring.deviceEvent,
                IN_ORDER);
        assertThrows(IllegalArgumentException.class, () -> queue.pushBatch(List.of(), 0));
        DescriptorChain stray = new DescriptorChain(0, List.of(new Segment(data, 1, true)));
        assertThrows(IllegalArgumentException.class, () -> queue.pushBatch(List.of(stray), 0));
    }
}
