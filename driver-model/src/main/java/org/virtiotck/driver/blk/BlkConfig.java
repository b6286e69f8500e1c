package org.virtiotck.driver.blk;

/**
 * Offsets into struct virtio_blk_config (VIRTIO 1.2 §5.2.4). A field exists when the feature named beside it is
 * offered; the layout is fixed either way, so a field keeps its offset whether or not the ones before it exist.
 */
public final class BlkConfig {
    /** le64, always present, in 512-byte sectors. */
    public static final int CAPACITY = 0;
    /** le32, SIZE_MAX: the largest data segment, in bytes. */
    public static final int SIZE_MAX = 8;
    /** le32, SEG_MAX: the most data segments in one request. */
    public static final int SEG_MAX = 12;
    /** le32, BLK_SIZE. */
    public static final int BLK_SIZE = 20;
    /** u8, CONFIG_WCE: 0 writethrough, 1 writeback; driver-writable. */
    public static final int WRITEBACK = 32;
    /** u8 padding the device must keep 0 (§5.2.5.2). */
    public static final int UNUSED0 = 33;
    /** le32 each, DISCARD. */
    public static final int MAX_DISCARD_SECTORS = 36;
    public static final int MAX_DISCARD_SEG = 40;
    public static final int DISCARD_SECTOR_ALIGNMENT = 44;
    /** le32 each, WRITE_ZEROES. */
    public static final int MAX_WRITE_ZEROES_SECTORS = 48;
    public static final int MAX_WRITE_ZEROES_SEG = 52;
    /** u8, WRITE_ZEROES. */
    public static final int WRITE_ZEROES_MAY_UNMAP = 56;
    /** u8[3] padding the device must keep 0 (§5.2.5.2). */
    public static final int UNUSED1 = 57;
    public static final int UNUSED1_BYTES = 3;
    /** le32 each, SECURE_ERASE. */
    public static final int MAX_SECURE_ERASE_SECTORS = 60;
    public static final int MAX_SECURE_ERASE_SEG = 64;
    public static final int SECURE_ERASE_SECTOR_ALIGNMENT = 68;
    /** The whole struct of VIRTIO 1.2. */
    public static final int SIZE = 72;

    private BlkConfig() {
    }
}
