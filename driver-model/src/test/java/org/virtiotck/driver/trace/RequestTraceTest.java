package org.virtiotck.driver.trace;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTraceTest {

    @Test
    void keepsTheNewestEventsAndSaysHowManyWereDropped() {
        RequestTrace t = RequestTrace.bounded(3);
        for (int i = 1; i <= 5; i++) {
            t.record("event " + i);
        }
        assertEquals(5, t.recorded());
        assertEquals(List.of("event 3", "event 4", "event 5"), t.events());
        assertEquals("5 events, the first 2 dropped (a trace keeps the newest 3)\n#3 event 3\n#4 event 4\n#5 event 5\n",
                t.render());
    }

    @Test
    void aShortTraceDropsNothing() {
        RequestTrace t = RequestTrace.bounded(8);
        t.record("a");
        t.record("b");
        assertEquals("2 events\n#1 a\n#2 b\n", t.render());
    }

    @Test
    void longEventsAreCut() {
        RequestTrace t = RequestTrace.bounded(2);
        t.record("x".repeat(RequestTrace.MAX_EVENT + 50));
        String kept = t.events().get(0);
        assertEquals(RequestTrace.MAX_EVENT + " ...(cut)".length(), kept.length());
        assertTrue(kept.endsWith(" ...(cut)"));
    }

    @Test
    void offKeepsNothing() {
        assertFalse(RequestTrace.OFF.on());
        RequestTrace.OFF.record("ignored");
        assertEquals(0, RequestTrace.OFF.recorded());
        assertThrows(IllegalArgumentException.class, () -> RequestTrace.bounded(0));
    }
}
