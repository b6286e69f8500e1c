package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.harness.inproc.TestRing.F_INDIRECT;
import static org.virtiotck.harness.inproc.TestRing.F_NEXT;
import static org.virtiotck.harness.inproc.TestRing.F_WRITE;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/** Indirect descriptors on a split ring (§2.7.5.3), written by hand. */
class SplitIndirectTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestRing ring = new TestRing(mem, BASE, SIZE);
    private final SplitDeviceQueue queue = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used,
            new RingFeatures(true, false, false));
    private final long data = BASE + 0x1000;
    private final long table = BASE + 0x2000;

    private MalformedChainException malformed() {
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertEquals(0, queue.lastAvail(), "queue state unchanged");
        return e;
    }

    private static void assertMentions(MalformedChainException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void tableIsPoppedAsItsSegmentsAndTakesOneDescriptor() {
        long len = TestRing.table(mem, table, Buf.readable(data, 16), Buf.writable(data + 16, 100),
                Buf.writable(data + 200, 1));
        ring.descriptor(2, table, len, F_INDIRECT, 0);
        ring.publish(2);
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(2, chain.head());
        assertEquals(1, chain.descriptorCount());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 100, true),
                new Segment(data + 200, 1, true)), chain.segments());
        queue.push(chain, 101);
        assertEquals(1, ring.usedIdx());
        assertEquals(2, ring.usedId(0));
        assertEquals(101, ring.usedLen(0));
    }

    @Test
    void tableEntriesFollowNextInAnyOrder() {
        TestRing.tableEntry(mem, table, 0, data, 1, F_NEXT, 2);
        TestRing.tableEntry(mem, table, 2, data + 2, 2, F_NEXT, 1);
        TestRing.tableEntry(mem, table, 1, data + 4, 3, F_WRITE, 0);
        ring.descriptor(0, table, 48, F_INDIRECT, 0);
        ring.publish(0);
        assertEquals(List.of(new Segment(data, 1, false), new Segment(data + 2, 2, false),
                new Segment(data + 4, 3, true)), queue.pop().orElseThrow().segments());
    }

    @Test
    void directDescriptorsThenOneIndirectFormOneChain() {
        long len = TestRing.table(mem, table, Buf.writable(data + 16, 8), Buf.writable(data + 24, 1));
        ring.descriptor(1, data, 16, F_NEXT, 3);
        ring.descriptor(3, table, len, F_INDIRECT, 0);
        ring.publish(1);
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(1, chain.head());
        assertEquals(2, chain.descriptorCount());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 8, true),
                new Segment(data + 24, 1, true)), chain.segments());
    }

    @Test
    void writeFlagOfTheReferringDescriptorIsIgnored() {
        long len = TestRing.table(mem, table, Buf.readable(data, 16), Buf.writable(data + 16, 1));
        ring.descriptor(0, table, len, F_INDIRECT | F_WRITE, 0);
        ring.publish(0);
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(16, chain.readableLength());
        assertEquals(1, chain.writableLength());
    }

    @Test
    void indirectWithoutTheFeatureIsMalformed() {
        SplitDeviceQueue plain = new SplitDeviceQueue(mem, SIZE, ring.desc, ring.avail, ring.used);
        long len = TestRing.table(mem, table, Buf.readable(data, 16));
        ring.descriptor(0, table, len, F_INDIRECT, 0);
        ring.publish(0);
        MalformedChainException e = assertThrows(MalformedChainException.class, plain::pop);
        assertMentions(e, "INDIRECT set (flags 0x4)", "not negotiated");
        assertEquals(0, plain.lastAvail());
    }

    @Test
    void indirectTogetherWithNextIsMalformed() {
        long len = TestRing.table(mem, table, Buf.readable(data, 16));
        ring.descriptor(0, table, len, F_INDIRECT | F_NEXT, 1);
        ring.descriptor(1, data, 1, F_WRITE, 0);
        ring.publish(0);
        assertMentions(malformed(), "both INDIRECT and NEXT", "flags 0x5", "next 1");
    }

    @Test
    void nestedIndirectIsMalformed() {
        TestRing.tableEntry(mem, table, 0, data, 16, F_NEXT, 1);
        TestRing.tableEntry(mem, table, 1, table, 32, F_INDIRECT, 0);
        ring.descriptor(0, table, 32, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "entry 1 of the indirect table at 0xa000", "INDIRECT set (flags 0x4)");
    }

    @Test
    void tableOfLengthZeroIsMalformed() {
        ring.descriptor(0, table, 0, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "at 0xa000 of length 0");
    }

    @Test
    void tableLengthNotAMultipleOf16IsMalformed() {
        TestRing.table(mem, table, Buf.readable(data, 16), Buf.readable(data, 16));
        ring.descriptor(0, table, 24, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "at 0xa000 of length 24", "multiple of 16");
    }

    @Test
    void tableOutsideGuestMemoryIsMalformed() {
        ring.descriptor(0, BASE + 0x3ff0, 32, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "[0xbff0, +32)", "not inside guest memory");
    }

    @Test
    void loopInsideTheTableIsMalformed() {
        TestRing.tableEntry(mem, table, 0, data, 1, F_NEXT, 1);
        TestRing.tableEntry(mem, table, 1, data, 1, F_NEXT, 0);
        ring.descriptor(0, table, 32, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "more than its 2 entries (a loop)");
    }

    @Test
    void nextOutsideTheTableIsMalformed() {
        TestRing.tableEntry(mem, table, 0, data, 1, F_NEXT, 2);
        TestRing.tableEntry(mem, table, 1, data, 1, 0, 0);
        TestRing.tableEntry(mem, table, 2, data, 1, 0, 0);   // in memory, but past the table's length
        ring.descriptor(0, table, 32, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "entry 0", "has next 2, the table has 2 entries");
    }

    @Test
    void readableAfterWritableInsideTheTableIsMalformed() {
        long len = TestRing.table(mem, table, Buf.writable(data, 8), Buf.readable(data + 8, 8));
        ring.descriptor(0, table, len, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "entry 1", "readable after", "flags 0x0");
    }

    @Test
    void readableTableEntryAfterAWritableDirectDescriptorIsMalformed() {
        long len = TestRing.table(mem, table, Buf.readable(data + 8, 8));
        ring.descriptor(0, data, 8, F_WRITE | F_NEXT, 1);
        ring.descriptor(1, table, len, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "descriptor 1 of chain at head 0: entry 0", "readable after");
    }

    @Test
    void bufferInsideTheTableOutsideGuestMemoryIsMalformed() {
        long len = TestRing.table(mem, table, Buf.readable(data, 8), Buf.writable(BASE + 0x3ff0, 0x20));
        ring.descriptor(0, table, len, F_INDIRECT, 0);
        ring.publish(0);
        assertMentions(malformed(), "entry 1", "[0xbff0, +32)");
    }
}
