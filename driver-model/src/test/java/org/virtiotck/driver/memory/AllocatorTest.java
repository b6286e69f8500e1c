package org.virtiotck.driver.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.Finding;

class AllocatorTest {
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(0x1000, 4096);
    private final Allocator alloc = new Allocator(mem, 0x1000, 4096, 16);

    @Test
    void writableBuffersArePoisonedAndGuarded() {
        Buffer b = alloc.writable(8);
        assertEquals(Allocator.POISON & 0xff, mem.u8(b.address()));
        assertEquals(Allocator.CANARY & 0xff, mem.u8(b.address() - 1));
        assertEquals(Allocator.CANARY & 0xff, mem.u8(b.end()));
        assertTrue(alloc.integrityFindings().isEmpty());
    }

    @Test
    void writeJustPastABufferIsFoundWithItsAddress() {
        Buffer b = alloc.writable(8);
        mem.putU8(b.end(), 0x42);
        List<Finding> f = alloc.integrityFindings();
        assertEquals(1, f.size());
        assertEquals(Finding.Kind.WRITE_OUTSIDE_WRITABLE, f.get(0).kind());
        assertTrue(f.get(0).detail().contains(Long.toHexString(b.end())), f.get(0).detail());
    }

    @Test
    void writeJustBeforeABufferIsFound() {
        Buffer b = alloc.writable(8);
        mem.putU8(b.address() - 1, 0);
        assertEquals(Finding.Kind.WRITE_OUTSIDE_WRITABLE, alloc.integrityFindings().get(0).kind());
    }

    @Test
    void changedReadableBufferIsFound() {
        Buffer b = alloc.readable(new byte[] {1, 2, 3});
        mem.putU8(b.address() + 2, 9);
        List<Finding> f = alloc.integrityFindings();
        assertEquals(1, f.size());
        assertEquals(Finding.Kind.WRITE_TO_READABLE, f.get(0).kind());
    }

    @Test
    void writesInsideWritableBuffersAreAllowed() {
        Buffer b = alloc.writable(8);
        mem.fill(b.address(), 8, (byte) 0);
        assertTrue(alloc.integrityFindings().isEmpty());
    }

    @Test
    void arenaExhaustionIsAnError() {
        assertThrows(IllegalStateException.class, () -> alloc.writable(8192));
    }

    @Test
    void accessOutsideMemoryIsRefused() {
        assertThrows(GuestMemoryException.class, () -> mem.u32(0x1000 + 4094));
        assertThrows(GuestMemoryException.class, () -> mem.putU8(0xfff, 0));
        assertThrows(GuestMemoryException.class, () -> mem.read(Long.MAX_VALUE, 2));
    }

    @Test
    void rewindFreesAndRestoresCanaries() {
        Buffer kept = alloc.writable(8);
        Allocator.Mark mark = alloc.mark();
        Buffer freed = alloc.readable(new byte[] {1, 2, 3});
        alloc.rewind(mark);
        assertEquals(Allocator.CANARY & 0xff, mem.u8(freed.address()));
        assertEquals(freed.address(), alloc.readable(new byte[] {4}).address());
        mem.putU8(kept.address(), 0);
        assertTrue(alloc.integrityFindings().isEmpty());
        for (int i = 0; i < 10_000; i++) {
            Allocator.Mark m = alloc.mark();
            alloc.writable(1000);
            alloc.rewind(m);
        }
        assertTrue(alloc.integrityFindings().isEmpty());
    }

    @Test
    void resetRestoresCanariesWhereverAllocationsReached() {
        Buffer w = alloc.writable(64);
        alloc.readable(new byte[32]);
        alloc.ring(128, 16);
        long reached = alloc.mark().cursor();
        alloc.reset();
        for (long a = 0x1000; a < reached + 16; a++) {
            assertEquals(Allocator.CANARY & 0xff, mem.u8(a), "byte at 0x" + Long.toHexString(a) + " after reset");
        }
        assertEquals(w.address(), alloc.writable(64).address());
        assertTrue(alloc.integrityFindings().isEmpty());
    }

    @Test
    void aStrayWriteBeyondAllAllocationsIsFoundOnceAGuardCoversIt() {
        // reset refills only what allocations reached; a device write far past them survives it and is found
        // as soon as an allocation's guard lies there, where the old full refill erased it unseen.
        alloc.writable(8);
        alloc.reset();
        long stray = 0x1000 + 2048;
        mem.putU8(stray, 0x42);
        alloc.reset();
        assertTrue(alloc.integrityFindings().isEmpty());
        alloc.writable((int) (stray - 0x1000 - 16 - 1));
        List<Finding> f = alloc.integrityFindings();
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).detail().contains(Long.toHexString(stray)), f.get(0).detail());
    }
}
