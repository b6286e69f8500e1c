package org.virtiotck.driver.console;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControlMessageTest {

    @Test
    void encodesLittleEndianHeaderThenTail() {
        ControlMessage m = new ControlMessage(0x01020304L, ControlMessage.PORT_NAME, 0x0506, "ab".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {4, 3, 2, 1, 7, 0, 6, 5, 'a', 'b'}, m.encode());
        assertEquals(m, ControlMessage.decode(m.encode()).orElseThrow());
        assertEquals("PORT_NAME(port 16909060, value 1286, name \"ab\")", m.toString());
    }

    @Test
    void idIsUnsignedAndShortBuffersAreNoMessage() {
        byte[] raw = {-1, -1, -1, -1, 9, 0, 0, 0};
        ControlMessage m = ControlMessage.decode(raw).orElseThrow();
        assertEquals(0xffffffffL, m.id());
        assertEquals("event 9(port 4294967295, value 0)", m.toString());
        assertTrue(ControlMessage.decode(new byte[7]).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new ControlMessage(-1, 0, 0));
    }

    @Test
    void queueNumbering() {
        assertEquals(0, ConsoleQueues.receiveq(0));
        assertEquals(1, ConsoleQueues.transmitq(0));
        assertEquals(4, ConsoleQueues.receiveq(1));
        assertEquals(7, ConsoleQueues.transmitq(2));
        assertEquals(-1, ConsoleQueues.portOf(ConsoleQueues.CONTROL_RECEIVEQ));
        assertEquals(2, ConsoleQueues.portOf(7));
        assertEquals(0, ConsoleQueues.portOf(1));
        assertEquals(10, ConsoleQueues.count(4));
    }
}
