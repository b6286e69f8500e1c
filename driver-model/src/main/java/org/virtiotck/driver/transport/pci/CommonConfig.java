package org.virtiotck.driver.transport.pci;

/** Field offsets in the common configuration structure (struct virtio_pci_common_cfg, VIRTIO 1.2 §4.1.4.3). */
public final class CommonConfig {
    public static final int DEVICE_FEATURE_SELECT = 0x00;
    public static final int DEVICE_FEATURE = 0x04;
    public static final int DRIVER_FEATURE_SELECT = 0x08;
    public static final int DRIVER_FEATURE = 0x0c;
    public static final int CONFIG_MSIX_VECTOR = 0x10;
    public static final int NUM_QUEUES = 0x12;
    public static final int DEVICE_STATUS = 0x14;
    public static final int CONFIG_GENERATION = 0x15;
    public static final int QUEUE_SELECT = 0x16;
    public static final int QUEUE_SIZE = 0x18;
    public static final int QUEUE_MSIX_VECTOR = 0x1a;
    public static final int QUEUE_ENABLE = 0x1c;
    public static final int QUEUE_NOTIFY_OFF = 0x1e;
    /** Each u64 address is a low then a high 32-bit half. */
    public static final int QUEUE_DESC = 0x20;
    public static final int QUEUE_DRIVER = 0x28;
    public static final int QUEUE_DEVICE = 0x30;
    public static final int QUEUE_NOTIFY_DATA = 0x38;
    public static final int QUEUE_RESET = 0x3a;
    /** The structure through queue_reset. */
    public static final int LENGTH = 0x3c;
    /** The part this driver uses (through queue_device): a shorter structure is unusable. */
    public static final int MIN_LENGTH = 0x38;
    /** MSI-X vector value meaning "no vector". */
    public static final int NO_VECTOR = 0xffff;

    private CommonConfig() {
    }
}
