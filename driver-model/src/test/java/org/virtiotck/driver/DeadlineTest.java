package org.virtiotck.driver;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @Test
    void untilLooksUntilTheConditionHolds() {
        AtomicInteger looks = new AtomicInteger();
        assertTrue(Deadline.after(Duration.ofSeconds(5)).until(() -> looks.incrementAndGet() == 3));
        assertEquals(3, looks.get());
    }

    @Test
    void untilGivesUpOnceExpiredAfterOneMoreLook() {
        AtomicInteger looks = new AtomicInteger();
        assertFalse(Deadline.after(Duration.ZERO).until(() -> looks.incrementAndGet() < 0));
        assertEquals(1, looks.get(), "an expired deadline still looks once");
    }
}
