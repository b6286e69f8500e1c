package org.virtiotck.harness.inproc;

/**
 * What a transport offers a device for work that does not start with a driver notification: a frame arriving
 * on a net device's wire, host input to a console, a config field the far side changed. The calls may come from
 * any thread; the transport serialises them with the driver's register accesses.
 */
public interface DeviceHost {

    /**
     * Runs {@link VirtioDevice#process} for the queue now, under the same rules as a driver notification (only
     * after DRIVER_OK, only on a ready queue), and raises a used buffer interrupt if the driver wants one.
     */
    void serviceQueue(int queueIndex);

    /** The device changed its configuration space: a new config generation and a configuration change interrupt. */
    void configChanged();

    /**
     * Applies {@code change} to the configuration space and then does what {@link #configChanged()} does, as one
     * step: a driver that reads the generation before and after a multi-field read (§2.5.1) never takes a
     * half-applied change for a consistent one, even when the far side runs in another thread.
     */
    default void changeConfig(Runnable change) {
        change.run();
        configChanged();
    }
}
