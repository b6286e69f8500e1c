package org.virtiotck.driver.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The struct virtio_net_hdr that precedes every packet on a net device's receive and transmit queues
 * (VIRTIO 1.2 §5.1.6), in its 12-byte form: with VERSION_1 {@code num_buffers} is always present, and the hash
 * fields only exist with HASH_REPORT, which nothing here negotiates. Little-endian, as every field of a
 * non-legacy device.
 */
public record NetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset,
        int numBuffers) {
    public static final int SIZE = 12;

    /** Flag bits (§5.1.6). NEEDS_CSUM is the only one a driver may set on transmit. */
    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int F_RSC_INFO = 4;

    /** gso_type values (§5.1.6); ECN is a bit on top of a TCP type. */
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    /** What a driver sends with a fully checksummed frame and no offload: every field 0 (§5.1.6.2). */
    public static final NetHeader PLAIN = new NetHeader(0, GSO_NONE, 0, 0, 0, 0, 0);

    public NetHeader {
        checkRange("flags", flags, 0xff);
        checkRange("gso_type", gsoType, 0xff);
        checkRange("hdr_len", hdrLen, 0xffff);
        checkRange("gso_size", gsoSize, 0xffff);
        checkRange("csum_start", csumStart, 0xffff);
        checkRange("csum_offset", csumOffset, 0xffff);
        checkRange("num_buffers", numBuffers, 0xffff);
    }

    /** The header of a received packet with no offload negotiated: flags 0, GSO_NONE, the buffer count. */
    public static NetHeader received(int numBuffers) {
        return new NetHeader(0, GSO_NONE, 0, 0, 0, 0, numBuffers);
    }

    /** Decodes the first {@link #SIZE} bytes of {@code bytes}. */
    public static NetHeader parse(byte[] bytes) {
        if (bytes.length < SIZE) {
            throw new IllegalArgumentException("a net header needs " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new NetHeader(b.get(0) & 0xff, b.get(1) & 0xff, b.getShort(2) & 0xffff, b.getShort(4) & 0xffff,
                b.getShort(6) & 0xffff, b.getShort(8) & 0xffff, b.getShort(10) & 0xffff);
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) flags).put((byte) gsoType).putShort((short) hdrLen).putShort((short) gsoSize)
                .putShort((short) csumStart).putShort((short) csumOffset).putShort((short) numBuffers)
                .array();
    }

    private static void checkRange(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0.." + max);
        }
    }
}
