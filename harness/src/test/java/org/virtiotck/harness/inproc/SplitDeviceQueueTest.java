package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

class SplitDeviceQueueTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestRing ring = new TestRing(mem, BASE, SIZE);
    private final SplitDeviceQueue queue = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used);
    private final long data = BASE + 0x1000;

    @Test
    void popReturnsNothingUntilTheDriverPublishes() {
        assertTrue(queue.pop().isEmpty());
    }

    @Test
    void popWalksTheChainAndPushPublishesIt() {
        int head = ring.submit(Buf.readable(data, 16), Buf.writable(data + 16, 100), Buf.writable(data + 200, 1));
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(head, chain.head());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 100, true),
                new Segment(data + 200, 1, true)), chain.segments());
        assertEquals(16, chain.readableLength());
        assertEquals(101, chain.writableLength());
        assertTrue(queue.pop().isEmpty());

        queue.push(chain, 42);
        assertEquals(1, ring.usedIdx());
        assertEquals(head, ring.usedId(0));
        assertEquals(42, ring.usedLen(0));
    }

    @Test
    void indicesWrapAt65536() {
        for (int i = 0; i < 70_000; i++) {
            ring.submit(Buf.writable(data, 1));
            queue.push(queue.pop().orElseThrow(), 1);
        }
        assertEquals(70_000 & 0xffff, ring.usedIdx());
        assertEquals(70_000 & 0xffff, queue.lastAvail());
        assertTrue(queue.pop().isEmpty());
    }

    @Test
    void availIndexTooFarAheadIsMalformed() {
        ring.setAvailIdx(SIZE + 1);
        assertThrows(MalformedChainException.class, queue::pop);
    }

    @Test
    void headOutOfRangeIsMalformed() {
        ring.publish(SIZE);
        assertThrows(MalformedChainException.class, queue::pop);
    }

    @Test
    void readableAfterWritableIsMalformed() {
        ring.submit(Buf.writable(data, 8), Buf.readable(data + 8, 8));
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("readable after"), e.getMessage());
    }

    @Test
    void bufferOutsideGuestMemoryIsMalformed() {
        ring.submit(Buf.readable(BASE + 0x3ff0, 0x20));
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("0xbff0"), e.getMessage());
    }

    @Test
    void indirectDescriptorIsMalformedWithoutIndirectDesc() {
        ring.descriptor(0, data, 16, TestRing.F_INDIRECT, 0);
        ring.publish(0);
        assertThrows(MalformedChainException.class, queue::pop);
    }

    @Test
    void selfLoopIsMalformed() {
        ring.descriptor(2, data, 16, TestRing.F_NEXT, 2);
        ring.publish(2);
        assertThrows(MalformedChainException.class, queue::pop);
    }

    @Test
    void chainAsLongAsTheQueueIsFine() {
        ring.submit(Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1));
        assertEquals(4, queue.pop().orElseThrow().segments().size());
    }

    @Test
    void layoutProblemsAreNamed() {
        assertTrue(SplitDeviceQueue.layoutProblem(mem, 3, ring.desc, ring.avail, ring.used).isPresent());
        assertTrue(SplitDeviceQueue.layoutProblem(mem, 0, ring.desc, ring.avail, ring.used).isPresent());
        assertTrue(SplitDeviceQueue.layoutProblem(mem, SIZE, ring.desc + 8, ring.avail, ring.used).isPresent());
        assertTrue(SplitDeviceQueue.layoutProblem(mem, SIZE, ring.desc, ring.avail, BASE + 0x4000).isPresent());
        assertFalse(SplitDeviceQueue.layoutProblem(mem, SIZE, ring.desc, ring.avail, ring.used).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new SplitDeviceQueue(mem, 3, ring.desc, ring.avail, ring.used));
    }
}
