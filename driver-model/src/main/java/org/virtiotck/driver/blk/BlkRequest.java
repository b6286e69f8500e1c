package org.virtiotck.driver.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** virtio-blk request constants and the 16-byte request header (VIRTIO 1.2 §5.2.6). */
public final class BlkRequest {
    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int T_GET_LIFETIME = 10;
    public static final int T_DISCARD = 11;
    public static final int T_WRITE_ZEROES = 13;
    public static final int T_SECURE_ERASE = 14;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int SECTOR_SIZE = 512;
    public static final int HEADER_SIZE = 16;
    public static final int ID_BYTES = 20;
    /** struct virtio_blk_discard_write_zeroes: sector le64, num_sectors le32, flags le32. */
    public static final int RANGE_SEGMENT_SIZE = 16;
    /** The only defined flag of a range segment; only WRITE_ZEROES may set it. */
    public static final int FLAG_UNMAP = 1;
    /** struct virtio_blk_lifetime: three le16. */
    public static final int LIFETIME_BYTES = 6;

    private BlkRequest() {
    }

    /** type le32, reserved le32, sector le64. */
    public static byte[] header(int type, long sector) {
        return ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(0).putLong(sector).array();
    }

    /** One segment of a DISCARD, WRITE_ZEROES or SECURE_ERASE request. */
    public static byte[] rangeSegment(long sector, int sectors, int flags) {
        return ByteBuffer.allocate(RANGE_SEGMENT_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(sector).putInt(sectors).putInt(flags).array();
    }

    public static String statusName(int status) {
        return switch (status) {
            case S_OK -> "OK";
            case S_IOERR -> "IOERR";
            case S_UNSUPP -> "UNSUPP";
            default -> String.format("0x%02x", status);
        };
    }
}
