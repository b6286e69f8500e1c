package org.virtiotck.driver;

import java.time.Duration;

/** The device did not do what was awaited before the deadline: the probe's verdict is WEDGED. */
public final class DeviceTimeoutException extends RuntimeException {
    public DeviceTimeoutException(String awaited, Duration budget) {
        super("device did not " + awaited + " within " + budget.toMillis() + " ms");
    }
}
