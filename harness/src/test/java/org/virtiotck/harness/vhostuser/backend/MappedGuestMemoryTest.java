package org.virtiotck.harness.vhostuser.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.memory.GuestMemoryException;
import org.virtiotck.harness.vhostuser.MemfdGuestMemory;

class MappedGuestMemoryTest {

    @Test
    void seesTheFrontendsBytesThroughBothRegionsAndTranslatesUserAddresses() {
        try (MemfdGuestMemory front = MemfdGuestMemory.create(0x4000_0000L, 16384);
                MappedGuestMemory back = new MappedGuestMemory(front.regions(),
                        front.regions().stream().map(r -> front.fd()).toList())) {
            assertEquals(0x4000_0000L, back.base());
            assertEquals(16384, back.size());
            // A write that straddles the two regions (guest-adjacent, far apart in the file's user addresses).
            byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8};
            front.write(0x4000_0000L + 8192 - 4, bytes);
            assertArrayEquals(bytes, back.read(0x4000_0000L + 8192 - 4, 8));
            back.putU16Release(0x4000_0000L + 12288, 0xbeef);
            assertEquals(0xbeef, front.u16(0x4000_0000L + 12288));
            long gpa = 0x4000_0000L + 9000;
            assertEquals(gpa, back.guestAddress(front.userAddress(gpa, 16)));
            assertEquals(-1, back.guestAddress(0x1234));
            assertFalse(back.contains(0x4000_0000L + 16380, 8));
            assertThrows(GuestMemoryException.class, () -> back.u32(0x4000_0000L + 8190));
        }
    }

    @Test
    void refusesATableWithoutItsDescriptors() {
        try (MemfdGuestMemory front = MemfdGuestMemory.create(0, 8192)) {
            assertThrows(IllegalArgumentException.class, () -> new MappedGuestMemory(front.regions(), List.of(front.fd())));
        }
    }
}
