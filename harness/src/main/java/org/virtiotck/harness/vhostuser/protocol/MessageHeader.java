package org.virtiotck.harness.vhostuser.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 12-byte header of every vhost-user message: request code, flags (version in bits 0-1, REPLY bit 2,
 * NEED_REPLY bit 3) and payload size, all little-endian u32.
 */
public record MessageHeader(int request, int flags, int size) {
    public static final int BYTES = 12;
    public static final int VERSION = 0x1;
    public static final int VERSION_MASK = 0x3;
    public static final int REPLY = 0x4;
    public static final int NEED_REPLY = 0x8;

    public byte[] encode() {
        return ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(request).putInt(flags).putInt(size).array();
    }

    /** This header followed by {@code payload}: a whole message, as a back-end sends its replies. */
    public byte[] encode(byte[] payload) {
        byte[] message = new byte[BYTES + payload.length];
        System.arraycopy(encode(), 0, message, 0, BYTES);
        System.arraycopy(payload, 0, message, BYTES, payload.length);
        return message;
    }

    /** The header of a reply to {@code request} with a payload of {@code size} bytes: version 1 and REPLY. */
    public static MessageHeader reply(int request, int size) {
        return new MessageHeader(request, VERSION | REPLY, size);
    }

    public static MessageHeader decode(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, BYTES).order(ByteOrder.LITTLE_ENDIAN);
        return new MessageHeader(buf.getInt(), buf.getInt(), buf.getInt());
    }

    @Override
    public String toString() {
        return "{request " + Integer.toUnsignedString(request) + ", flags 0x" + Integer.toHexString(flags)
                + ", size " + Integer.toUnsignedString(size) + "}";
    }
}
