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

    public byte[] encode() {
        return Payload.allocate(HEADER_BYTES + bytes.length).putInt(offset).putInt(bytes.length).putInt(flags).put(bytes).array();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
