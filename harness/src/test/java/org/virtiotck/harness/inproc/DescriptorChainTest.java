package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;

class DescriptorChainTest {
    private static final long BASE = 0x1000;
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x1000);
    // Readable 0x1000+3 and 0x1100+5; writable 0x1200+2, 0x1300+0, 0x1400+4.
    private final DescriptorChain chain = new DescriptorChain(7, List.of(
            new Segment(0x1000, 3, false), new Segment(0x1100, 5, false),
            new Segment(0x1200, 2, true), new Segment(0x1300, 0, true), new Segment(0x1400, 4, true)));

    @Test
    void readerReadsAcrossSegmentsAndRefusesOverreads() {
        mem.write(0x1000, new byte[] {1, 2, 3});
        mem.write(0x1100, new byte[] {4, 5, 6, 7, 8});
        ChainReader r = chain.reader(mem);
        byte[] first = new byte[4];
        assertTrue(r.read(first));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, first);
        assertFalse(r.read(new byte[5]), "only 4 left");
        assertEquals(4, r.remaining());
        byte[] rest = new byte[4];
        assertTrue(r.read(rest));
        assertArrayEquals(new byte[] {5, 6, 7, 8}, rest);
    }

    @Test
    void writerWritesAcrossSegmentsAndWritesNothingThatDoesNotFit() {
        ChainWriter w = chain.writer(mem);
        assertEquals(6, w.length());
        assertTrue(w.write(new byte[] {1, 2, 3}));
        assertEquals(3, w.written());
        assertFalse(w.write(new byte[] {9, 9, 9, 9}));
        assertEquals(3, w.written());
        assertArrayEquals(new byte[] {1, 2}, mem.read(0x1200, 2));
        assertArrayEquals(new byte[] {3, 0, 0, 0}, mem.read(0x1400, 4));
    }

    @Test
    void writeAtReachesTheLastWritableByteWithoutMovingTheCursor() {
        ChainWriter w = chain.writer(mem);
        assertTrue(w.writeAt(5, new byte[] {42}));
        assertEquals(42, mem.u8(0x1403));
        assertEquals(0, w.written());
        assertFalse(w.writeAt(6, new byte[] {1}));
        assertFalse(w.writeAt(-1, new byte[] {1}));
        assertEquals(0, mem.u8(0x1000), "readable part untouched");
    }
}
