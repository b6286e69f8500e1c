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
}
