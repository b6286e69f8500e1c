package org.virtiotck.driver.transport;

import org.virtiotck.driver.feature.FeatureSet;

/**
 * The operations every virtio transport offers the driver (VIRTIO 1.2 §4): status, features, queue
 * setup, notification, interrupts and configuration space. Knows nothing of device types.
 */
public interface Transport {

    int deviceId();

    int status();

    void setStatus(int status);

    FeatureSet deviceFeatures();

    void setDriverFeatures(FeatureSet features);

    /** Largest size the device accepts for this queue; 0 when the queue does not exist. */
    int queueMaxSize(int queue);

    void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea);

    void setQueueReady(int queue, boolean ready);

    boolean queueReady(int queue);

    /**
     * Whether this transport lets the driver reset one queue on its own (VIRTIO_F_RING_RESET, §2.6.1). The driver
     * accepts RING_RESET only where it does, and {@link #resetQueue}/{@link #queueResetPending} only work then.
     */
    boolean queueResetSupported();

    /**
     * Asks the device to reset one queue: writes 1 to that queue's reset register (§4.1.4.3 queue_reset, §4.2.2
     * QueueReset). The reset is complete once {@link #queueResetPending} reads false.
     *
     * @throws UnsupportedOperationException when {@link #queueResetSupported} is false
     */
    void resetQueue(int queue);

    /**
     * Whether the queue's reset register reads 1: a queue reset still in progress.
     *
     * @throws UnsupportedOperationException when {@link #queueResetSupported} is false
     */
    boolean queueResetPending(int queue);

    /** Available buffer notification for one queue. */
    void notifyQueue(int queue);

    /** Pending interrupt causes (bit 0 used buffer, bit 1 configuration change), acknowledged by reading. */
    int takeInterrupts();

    int configGeneration();

    /** One access of 1, 2 or 4 bytes into the device-specific configuration space. */
    long readConfig(int offset, int width);

    /**
     * One driver write of 1, 2 or 4 bytes into the device-specific configuration space, {@code value} in the low
     * bytes. Few fields are driver-writable (a console's emerg_wr, §5.3.4); a device ignores writes to the others.
     */
    void writeConfig(int offset, int width, long value);
}
