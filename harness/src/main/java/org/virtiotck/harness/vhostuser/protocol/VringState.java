package org.virtiotck.harness.vhostuser.protocol;

/** The "vring state description" payload: a ring index and a 32-bit number (size, base or enable flag). */
public record VringState(int index, int num) {
    public static final int BYTES = 8;

    public byte[] encode() {
        return Payload.allocate(BYTES).putInt(index).putInt(num).array();
    }

    public static VringState decode(byte[] payload) {
        var b = Payload.wrap(payload);
        return new VringState(b.getInt(), b.getInt());
    }
}
