package org.virtiotck.driver.blk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** virtio-blk request constants and the 16-byte request header (VIRTIO 1.2 §5.2.6). */
public final class BlkRequest {
    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int SECTOR_SIZE = 512;
    public static final int HEADER_SIZE = 16;
    public static final int ID_BYTES = 20;

    private BlkRequest() {
    }

    /** type le32, reserved le32, sector le64. */
    public static byte[] header(int type, long sector) {
        return ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(type).putInt(0).putLong(sector).array();
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
