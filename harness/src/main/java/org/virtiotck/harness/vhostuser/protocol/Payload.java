package org.virtiotck.harness.vhostuser.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian payload buffers: the single u64 many messages carry, and a writer for the structured ones. */
public final class Payload {
    private Payload() {
    }

    public static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static ByteBuffer wrap(byte[] payload) {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] u64(long value) {
        return allocate(8).putLong(value).array();
    }

    public static long u64(byte[] payload) {
        return wrap(payload).getLong();
    }
}
