package org.virtiotck.driver.feature;

/**
 * Named feature bits. Bits 24..49 are device-independent (VIRTIO 1.2 §6); the rest belong to a device type,
 * so the same bit number means different things for blk and net.
 */
public enum Feature {
    // Device-independent (reserved) feature bits.
    INDIRECT_DESC(28, null),
    EVENT_IDX(29, null),
    VERSION_1(32, null),
    ACCESS_PLATFORM(33, null),
    RING_PACKED(34, null),
    IN_ORDER(35, null),
    ORDER_PLATFORM(36, null),
    SR_IOV(37, null),
    NOTIFICATION_DATA(38, null),
    NOTIF_CONFIG_DATA(39, null),
    RING_RESET(40, null),

    // Block device (VIRTIO 1.2 §5.2.3).
    BLK_SIZE_MAX(1, DeviceType.BLK),
    BLK_SEG_MAX(2, DeviceType.BLK),
    BLK_GEOMETRY(4, DeviceType.BLK),
    BLK_RO(5, DeviceType.BLK),
    BLK_BLK_SIZE(6, DeviceType.BLK),
    BLK_FLUSH(9, DeviceType.BLK),
    BLK_TOPOLOGY(10, DeviceType.BLK),
    BLK_CONFIG_WCE(11, DeviceType.BLK),
    BLK_MQ(12, DeviceType.BLK),
    BLK_DISCARD(13, DeviceType.BLK),
    BLK_WRITE_ZEROES(14, DeviceType.BLK),
    BLK_LIFETIME(15, DeviceType.BLK),
    BLK_SECURE_ERASE(16, DeviceType.BLK);

    private final int bit;
    private final DeviceType device;

    Feature(int bit, DeviceType device) {
        this.bit = bit;
        this.device = device;
    }

    public int bit() {
        return bit;
    }

    /** The device type this bit belongs to, or null for a device-independent bit. */
    public DeviceType device() {
        return device;
    }

    /** The spec's name without the VIRTIO_/VIRTIO_F_ prefix, e.g. "VERSION_1", "BLK_F_FLUSH". */
    public String specName() {
        return device == null ? name() : device.name() + "_F_" + name().substring(device.name().length() + 1);
    }

    /** The named feature for this bit on this device type, or null when the bit has no name here. */
    public static Feature of(int bit, DeviceType type) {
        for (Feature f : values()) {
            if (f.bit == bit && (f.device == null || f.device == type)) {
                return f;
            }
        }
        return null;
    }
}
