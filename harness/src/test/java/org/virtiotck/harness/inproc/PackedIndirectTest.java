package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.ring.RingFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

/** Indirect descriptors on a packed ring (§2.8.7, §2.8.19), written by hand. */
class PackedIndirectTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestPackedRing ring = new TestPackedRing(mem, BASE, SIZE);
    private final PackedDeviceQueue queue = new PackedDeviceQueue(mem, SIZE, ring.desc, ring.driverEvent,
            ring.deviceEvent, new RingFeatures(true, false, false));
    private final long data = BASE + 0x1000;
    private final long table = BASE + 0x2000;

    private MalformedChainException malformed() {
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertEquals(0, queue.nextAvail(), "queue state unchanged");
        assertTrue(queue.availWrapCounter());
        return e;
    }

    private static void assertMentions(MalformedChainException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void tableIsPoppedAsItsSegmentsAndTakesOneSlot() {
        ring.submitIndirect(7, table, 0, Buf.readable(data, 16), Buf.writable(data + 16, 100),
                Buf.writable(data + 200, 1));
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(7, chain.head(), "buffer id of the ring descriptor");
        assertEquals(1, chain.descriptorCount());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 100, true),
                new Segment(data + 200, 1, true)), chain.segments());
        assertEquals(1, queue.nextAvail());
    }

    @Test
    void pushOfAnIndirectChainSkipsOneSlot() {
        ring.submitIndirect(7, table, 0, Buf.readable(data, 16), Buf.writable(data + 16, 1));
        ring.submit(8, Buf.readable(data, 16), Buf.writable(data + 16, 1));
        DescriptorChain indirect = queue.pop().orElseThrow();
        DescriptorChain direct = queue.pop().orElseThrow();
        queue.push(indirect, 1);
        assertEquals(1, queue.nextUsed());
        assertEquals(7, ring.id(0));
        assertTrue(isUsed(ring.flags(0), true));
        queue.push(direct, 1);
        assertEquals(8, ring.id(1));
        assertEquals(3, queue.nextUsed());
        // The ring, used again from slot 3 on, wraps; an indirect chain still takes one slot per lap.
        ring.submitIndirect(9, table, 0, Buf.writable(data, 1));
        ring.submitIndirect(10, table + 0x100, 0, Buf.writable(data, 1));
        queue.push(queue.pop().orElseThrow(), 1);
        queue.push(queue.pop().orElseThrow(), 1);
        assertEquals(1, queue.nextUsed());
        assertEquals(10, ring.id(0));
        assertTrue(isUsed(ring.flags(0), false), "second lap");
    }

    @Test
    void reservedFlagsAndIdsInsideTheTableAreIgnored() {
        TestPackedRing.tableEntry(mem, table, 0, data, 16, F_NEXT | F_INDIRECT | F_AVAIL);
        mem.putU16(table + 12, 0xbeef);
        TestPackedRing.tableEntry(mem, table, 1, data + 16, 4, F_WRITE | F_INDIRECT);
        ring.descriptor(0, table, 32, 3, F_INDIRECT | F_AVAIL);
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(3, chain.head());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 4, true)), chain.segments());
    }

    @Test
    void writeFlagOfTheReferringDescriptorIsIgnored() {
        ring.submitIndirect(1, table, F_WRITE, Buf.readable(data, 16), Buf.writable(data + 16, 1));
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(16, chain.readableLength());
        assertEquals(1, chain.writableLength());
    }

    @Test
    void indirectWithoutTheFeatureIsMalformed() {
        PackedDeviceQueue plain = new PackedDeviceQueue(mem, SIZE, ring.desc, ring.driverEvent, ring.deviceEvent);
        ring.submitIndirect(1, table, 0, Buf.readable(data, 16));
        MalformedChainException e = assertThrows(MalformedChainException.class, plain::pop);
        assertMentions(e, "INDIRECT set (flags 0x84)", "not negotiated");
        assertEquals(0, plain.nextAvail());
    }

    @Test
    void indirectTogetherWithNextIsMalformed() {
        TestPackedRing.tableEntry(mem, table, 0, data, 16, 0);
        ring.descriptor(1, data, 1, 1, F_WRITE | F_AVAIL);
        ring.descriptor(0, table, 16, 1, F_INDIRECT | F_NEXT | F_AVAIL);
        assertMentions(malformed(), "descriptor 0 of the chain at slot 0", "flags 0x85", "linked by NEXT");
    }

    @Test
    void indirectAfterADirectDescriptorOfTheSameListIsMalformed() {
        TestPackedRing.tableEntry(mem, table, 0, data, 16, F_WRITE);
        ring.descriptor(1, table, 16, 1, F_INDIRECT | F_AVAIL);
        ring.descriptor(0, data, 16, 1, F_NEXT | F_AVAIL);
        assertMentions(malformed(), "descriptor 1 of the chain at slot 0", "flags 0x84", "linked by NEXT");
    }

    @Test
    void tableOfLengthZeroIsMalformed() {
        ring.descriptor(0, table, 0, 1, F_INDIRECT | F_AVAIL);
        assertMentions(malformed(), "at 0xa000 of length 0");
    }

    @Test
    void tableLengthNotAMultipleOf16IsMalformed() {
        ring.descriptor(0, table, 40, 1, F_INDIRECT | F_AVAIL);
        assertMentions(malformed(), "at 0xa000 of length 40", "multiple of 16");
    }

    @Test
    void tableOutsideGuestMemoryIsMalformed() {
        ring.descriptor(0, BASE + 0x3fe0, 48, 1, F_INDIRECT | F_AVAIL);
        assertMentions(malformed(), "[0xbfe0, +48)", "not inside guest memory");
    }

    @Test
    void readableAfterWritableInsideTheTableIsMalformed() {
        ring.submitIndirect(1, table, 0, Buf.writable(data, 8), Buf.readable(data + 8, 8));
        assertMentions(malformed(), "entry 1 of the indirect table at 0xa000", "readable after");
    }

    @Test
    void bufferInsideTheTableOutsideGuestMemoryIsMalformed() {
        ring.submitIndirect(1, table, 0, Buf.readable(data, 8), Buf.writable(BASE + 0x3ff0, 0x20));
        assertMentions(malformed(), "entry 1", "[0xbff0, +32)");
    }
}
