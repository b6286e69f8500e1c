package org.virtiotck.driver.ring;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.memory.GuestMemoryException;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitDescriptor;
import org.virtiotck.driver.ring.split.SplitLayout;

/** The raw ring layer writes what it is told, however malformed, and stays inside guest memory. */
class RawRingTest {
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 16);
    private final Allocator alloc = new Allocator(mem, mem.base(), mem.size(), 16);

    @Test
    void splitRingTakesDescriptorsEntriesAndIndicesNoDriverWouldWrite() {
        RawSplitRing r = RawSplitRing.allocate(alloc, 8);
        SplitDescriptor loop = new SplitDescriptor(0xdead_beef_0000L, 0xffff_ffffL,
                SplitLayout.F_NEXT | SplitLayout.F_INDIRECT | 0x80, 3);
        r.descriptor(3, loop);                                      // points at itself, with INDIRECT and NEXT
        assertEquals(loop, r.descriptor(3));
        assertEquals(loop, SplitDescriptor.read(mem, r.descriptorArea() + 48));
        r.availEntry(9, 40000);                                     // position 9 is slot 1; head out of range
        assertEquals(40000, mem.u16(r.driverArea() + 4 + 2));
        r.publishAvailIdx(0xfff0);                                  // far more than the ring holds
        r.availFlags(0x7);
        r.usedEvent(12345);
        assertEquals(0xfff0, r.availIdx());
        assertEquals(0x7, r.availFlags());
        assertEquals(12345, mem.u16(r.driverArea() + SplitLayout.usedEventOffset(8)));
        mem.putU32(r.deviceArea() + 4 + 8 * 2, 77);
        assertEquals(77, r.usedElement(10).id());
    }

    @Test
    void packedRingTakesWrapBitsAndEventModesNoDriverWouldWrite() {
        RawPackedRing r = RawPackedRing.allocate(alloc, 5);
        PackedDescriptor wrongWrap = new PackedDescriptor(1, 2, 0xffff, PackedLayout.F_AVAIL | PackedLayout.F_USED);
        r.publish(4, wrongWrap);
        assertEquals(wrongWrap, r.descriptor(4));
        r.driverEvent(0xffff, 3);                                   // reserved mode, offset beyond the ring
        assertEquals(0xffff | 3 << 16, r.driverEvent());
    }

    @Test
    void rawWritesStillStopAtTheEdgeOfGuestMemory() {
        RawSplitRing r = RawSplitRing.allocate(alloc, 8);
        assertThrows(GuestMemoryException.class, () -> r.descriptor(1 << 14, new SplitDescriptor(0, 0, 0, 0)));
    }
}
