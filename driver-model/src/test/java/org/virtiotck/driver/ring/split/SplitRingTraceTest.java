package org.virtiotck.driver.ring.split;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.trace.RequestTrace;

/** What a split queue records in its trace: each chain with its descriptors and avail slot, each used entry. */
class SplitRingTraceTest {
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 17);
    private final Allocator alloc = new Allocator(mem, mem.base(), mem.size(), 16);
    private final RequestTrace trace = RequestTrace.bounded(16);

    @Test
    void directChainAndItsUsedEntry() {
        SplitVirtqueue q = SplitVirtqueue.allocate(alloc, 2, 8, RingFeatures.NONE);
        q.trace(trace);
        Chain c = q.add(List.of(alloc.readable(new byte[16])), List.of(alloc.writable(512), alloc.writable(1)));
        long elem = q.deviceArea() + 4;
        mem.putU32(elem, c.head());
        mem.putU32(elem + 4, 600);
        mem.putU16Release(q.deviceArea() + 2, 1);
        q.poll().orElseThrow();
        List<String> events = trace.events();
        assertEquals(2, events.size(), events::toString);
        assertEquals(String.format("queue 2 add id 0 at avail[0], avail idx now 1: d0 0x%x+16 R, d1 0x%x+512 W, d2 0x%x+1 W",
                c.readable().get(0).address(), c.writable().get(0).address(), c.writable().get(1).address()), events.get(0));
        assertEquals("queue 2 used id 0 len 600 of 513 writable, used idx 1, driver read up to 1", events.get(1));
    }

    @Test
    void indirectChainNamesItsTable() {
        SplitVirtqueue q = SplitVirtqueue.allocate(alloc, 0, 8, new RingFeatures(true, false, false));
        q.trace(trace);
        q.add(List.of(alloc.readable(new byte[3])), List.of(alloc.writable(8)));
        assertTrue(trace.events().get(0).matches("queue 0 add id 0 at avail\\[0\\], avail idx now 1: d0 INDIRECT table "
                + "0x[0-9a-f]+\\+32 \\[e0 0x[0-9a-f]+\\+3 R, e1 0x[0-9a-f]+\\+8 W\\]"), trace.events().get(0));
    }

    @Test
    void untracedQueueRecordsNothing() {
        SplitVirtqueue q = SplitVirtqueue.allocate(alloc, 0, 8, RingFeatures.NONE);
        q.add(List.of(alloc.readable(new byte[3])), List.of());
        assertEquals(0, trace.recorded());
    }
}
