package org.virtiotck.driver.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetHeaderTest {

    @Test
    void fieldsAreLittleEndianInSpecOrder() {
        NetHeader h = new NetHeader(0x01, 0x84, 0x0102, 0x0304, 0x0506, 0x0708, 0x090a);
        assertArrayEquals(new byte[] {1, (byte) 0x84, 2, 1, 4, 3, 6, 5, 8, 7, 0x0a, 9}, h.bytes());
        assertEquals(h, NetHeader.parse(h.bytes()));
    }

    @Test
    void receivedHeaderCarriesOnlyTheBufferCount() {
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0}, NetHeader.received(3).bytes());
        assertArrayEquals(new byte[NetHeader.SIZE], NetHeader.PLAIN.bytes());
    }

    @Test
    void rejectsFieldsOutOfRangeAndShortInput() {
        assertThrows(IllegalArgumentException.class, () -> new NetHeader(256, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> NetHeader.received(0x10000));
        assertThrows(IllegalArgumentException.class, () -> NetHeader.parse(new byte[11]));
    }
}
