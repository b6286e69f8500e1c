package org.virtiotck.driver.feature;

/** Virtio device types this project knows, with their device ids (VIRTIO 1.2 §5). */
public enum DeviceType {
    NET(1),
    BLK(2),
    CONSOLE(3),
    RNG(4);

    private final int id;

    DeviceType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /**
     * Queues every device of this type has, whatever it negotiates (VIRTIO 1.2 §5.x.2): net receiveq1 and
     * transmitq1, console port 0's receive and transmit queues, blk's and rng's one request queue.
     */
    public int baseQueues() {
        return this == NET || this == CONSOLE ? 2 : 1;
    }

    public String lowerName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type with this device id, or null. */
    public static DeviceType ofId(int id) {
        for (DeviceType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
