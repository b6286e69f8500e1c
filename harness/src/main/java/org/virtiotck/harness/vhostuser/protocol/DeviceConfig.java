package org.virtiotck.harness.vhostuser.protocol;

/** The "virtio device config space" payload of GET/SET_CONFIG: offset, size, flags, then size bytes. */
public record DeviceConfig(int offset, int flags, byte[] bytes) {
    public static final int HEADER_BYTES = 12;
    /** What QEMU allows (VHOST_USER_MAX_CONFIG_SIZE); larger requests are the frontend's mistake. */
    public static final int MAX_BYTES = 256;

    public DeviceConfig {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("config access of " + bytes.length + " bytes, at most " + MAX_BYTES);
        }
        bytes = bytes.clone();
    }

    /**
     * A config payload as the frontend sent it (GET_CONFIG carries {@code size} bytes of room, SET_CONFIG the
     * bytes to write).
     *
     * @throws VhostUserProtocolException when the size field and the payload disagree
     */
    public static DeviceConfig decode(byte[] payload) {
        var b = Payload.wrap(payload);
        if (payload.length < HEADER_BYTES) {
            throw new VhostUserProtocolException("config payload of " + payload.length + " bytes, less than its header");
        }
        int offset = b.getInt();
        int size = b.getInt();
        int flags = b.getInt();
        if (size < 0 || size > MAX_BYTES || payload.length != HEADER_BYTES + size) {
            throw new VhostUserProtocolException("config payload of " + payload.length + " bytes says size "
                    + Integer.toUnsignedString(size));
        }
        return new DeviceConfig(offset, flags, java.util.Arrays.copyOfRange(payload, HEADER_BYTES, payload.length));
    }

    public byte[] encode() {
        return Payload.allocate(HEADER_BYTES + bytes.length).putInt(offset).putInt(bytes.length).putInt(flags).put(bytes).array();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
