package org.virtiotck.harness.vhostuser.protocol;

/**
 * The "vring address description" of SET_VRING_ADDR: ring index, flags, then the user addresses of the
 * descriptor area, the used (device) area and the available (driver) area, in that order, and the log address.
 * The table in vhost-user.rst also shows a "size" column that no field definition or implementation has:
 * the payload is 40 bytes, as QEMU's {@code struct vhost_vring_addr}.
 */
public record VringAddress(int index, int flags, long descriptor, long used, long available, long log) {
    public static final int BYTES = 40;

    public static VringAddress decode(byte[] payload) {
        var b = Payload.wrap(payload);
        return new VringAddress(b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    public byte[] encode() {
        return Payload.allocate(BYTES).putInt(index).putInt(flags).putLong(descriptor).putLong(used)
                .putLong(available).putLong(log).array();
    }
}
