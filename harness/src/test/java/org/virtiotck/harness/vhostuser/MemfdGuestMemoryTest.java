package org.virtiotck.harness.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.GuestMemoryException;
import org.virtiotck.harness.vhostuser.protocol.MemoryRegion;

class MemfdGuestMemoryTest {
    private static final long BASE = 0x4000_0000L;

    @Test
    void twoRegionsOfOneFileWithOffsetAndUserAddressesUnlikeGuestAddresses() {
        try (MemfdGuestMemory m = MemfdGuestMemory.create(BASE, 1 << 20)) {
            MemoryRegion r0 = m.regions().get(0);
            MemoryRegion r1 = m.regions().get(1);
            assertEquals(BASE, r0.guestAddress());
            assertEquals(BASE + r0.size(), r1.guestAddress());
            assertEquals(0, r0.mmapOffset());
            assertEquals(r0.size(), r1.mmapOffset());
            assertTrue(r1.userAddress() < r0.userAddress(), "second region's user address lies below the first's");
            for (MemoryRegion r : m.regions()) {
                assertNotEquals(r.guestAddress(), r.userAddress());
            }
            assertEquals(r1.userAddress() + 16, m.userAddress(r1.guestAddress() + 16, 16));
            assertThrows(GuestMemoryException.class, () -> m.userAddress(r1.guestAddress() - 8, 16));
        }
    }

    /** What a back-end does with the table: map the fd from 0 over mmap_offset + size, find the region at mmap_offset. */
    @Test
    void aBackEndMappingTheFileSeesTheBytesWrittenAtEachGuestAddress() throws IOException {
        try (MemfdGuestMemory m = MemfdGuestMemory.create(BASE, 1 << 20);
                FileChannel peer = FileChannel.open(Path.of("/proc/self/fd/" + m.fd().get()), StandardOpenOption.READ)) {
            MemoryRegion r1 = m.regions().get(1);
            m.putU64(r1.guestAddress() + 8, 0x0102030405060708L);
            m.putU16Release(BASE + 2, 0xbeef);
            ByteBuffer b = peer.map(FileChannel.MapMode.READ_ONLY, 0, r1.mmapOffset() + r1.size()).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x0102030405060708L, b.getLong((int) (r1.mmapOffset() + 8)));
            assertEquals((short) 0xbeef, b.getShort(2));
        }
    }

    @Test
    void closedMemoryThrowsInsteadOfTouchingUnmappedPages() {
        MemfdGuestMemory m = MemfdGuestMemory.create(BASE, 8192);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.u8(BASE));
        assertThrows(IllegalStateException.class, () -> m.putU16Release(BASE, 1));
    }

    @Test
    void sizeMustSplitIntoTwoPageAlignedRegions() {
        assertThrows(IllegalArgumentException.class, () -> MemfdGuestMemory.create(BASE, 4096));
    }
}
