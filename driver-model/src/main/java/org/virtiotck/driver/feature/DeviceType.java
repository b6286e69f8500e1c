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
