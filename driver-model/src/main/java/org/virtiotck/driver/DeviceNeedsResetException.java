package org.virtiotck.driver;

import org.virtiotck.driver.transport.DeviceStatus;

/** The device set DEVICE_NEEDS_RESET while the driver waited for a completion: it will not complete. */
public final class DeviceNeedsResetException extends RuntimeException {
    private final int status;

    public DeviceNeedsResetException(int queue, int status) {
        super("device set DEVICE_NEEDS_RESET while a buffer on queue " + queue + " was in flight; status reads "
                + DeviceStatus.describe(status));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
