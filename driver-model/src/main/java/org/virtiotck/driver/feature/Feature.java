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

    // Network device (VIRTIO 1.2 §5.1.3).
    NET_CSUM(0, DeviceType.NET),
    NET_GUEST_CSUM(1, DeviceType.NET),
    NET_CTRL_GUEST_OFFLOADS(2, DeviceType.NET),
    NET_MTU(3, DeviceType.NET),
    NET_MAC(5, DeviceType.NET),
    NET_GUEST_TSO4(7, DeviceType.NET),
    NET_GUEST_TSO6(8, DeviceType.NET),
    NET_GUEST_ECN(9, DeviceType.NET),
    NET_GUEST_UFO(10, DeviceType.NET),
    NET_HOST_TSO4(11, DeviceType.NET),
    NET_HOST_TSO6(12, DeviceType.NET),
    NET_HOST_ECN(13, DeviceType.NET),
    NET_HOST_UFO(14, DeviceType.NET),
    NET_MRG_RXBUF(15, DeviceType.NET),
    NET_STATUS(16, DeviceType.NET),
    NET_CTRL_VQ(17, DeviceType.NET),
    NET_CTRL_RX(18, DeviceType.NET),
    NET_CTRL_VLAN(19, DeviceType.NET),
    /** Missing from the bit list of VIRTIO 1.2 §5.1.3 but used by §5.1.6.5.1; bit 20 as in 1.1 and Linux. */
    NET_CTRL_RX_EXTRA(20, DeviceType.NET),
    NET_GUEST_ANNOUNCE(21, DeviceType.NET),
    NET_MQ(22, DeviceType.NET),
    NET_CTRL_MAC_ADDR(23, DeviceType.NET),
    NET_HOST_USO(56, DeviceType.NET),
    NET_HASH_REPORT(57, DeviceType.NET),
    NET_GUEST_HDRLEN(59, DeviceType.NET),
    NET_RSS(60, DeviceType.NET),
    NET_RSC_EXT(61, DeviceType.NET),
    NET_STANDBY(62, DeviceType.NET),
    NET_SPEED_DUPLEX(63, DeviceType.NET),

    // Console device (VIRTIO 1.2 §5.3.3).
    CONSOLE_SIZE(0, DeviceType.CONSOLE),
    CONSOLE_MULTIPORT(1, DeviceType.CONSOLE),
    CONSOLE_EMERG_WRITE(2, DeviceType.CONSOLE),

    // The entropy device (§5.4.3) has no device-specific feature bits.

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
