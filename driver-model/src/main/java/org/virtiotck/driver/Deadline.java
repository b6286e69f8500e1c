package org.virtiotck.driver;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A point in time by which something must have happened; every wait on a device takes one. */
public final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    public Duration budget() {
        return budget;
    }

    /** Throws {@link DeviceTimeoutException} naming what was awaited once the deadline has passed. */
    public void check(String awaited) {
        if (expired()) {
            throw new DeviceTimeoutException(awaited, budget);
        }
    }

    /** Looks at {@code condition} until it holds or this deadline passes, pausing between looks; whether it held. */
    public boolean until(BooleanSupplier condition) {
        for (int attempt = 0; ; attempt++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (expired()) {
                return false;
            }
            pause(attempt);
        }
    }

    /** Pause between polls: spin briefly, then yield, so a device thread on the same core can run. */
    public static void pause(int attempt) {
        if (attempt < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
