package org.virtiotck.harness.inproc;

/**
 * What a transport offers a device for work that does not start with a driver notification: a frame arriving
 * on a net device's wire, host input to a console, a config field the far side changed.
 */
public interface DeviceHost {

    /**
     * Runs {@link VirtioDevice#process} for the queue now, under the same rules as a driver notification (only
     * after DRIVER_OK, only on a ready queue), and raises a used buffer interrupt if the driver wants one.
     */
    void serviceQueue(int queueIndex);

    /** The device changed its configuration space: a new config generation and a configuration change interrupt. */
    void configChanged();
}
