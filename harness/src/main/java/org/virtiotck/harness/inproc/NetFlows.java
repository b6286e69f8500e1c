package org.virtiotck.harness.inproc;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The flow a frame belongs to, as automatic receive steering needs it (VIRTIO 1.2 §5.1.6.5.6): for IPv4 and IPv6
 * the protocol, the addresses and the TCP or UDP ports (unfragmented IPv4 only, as the ports of a fragment are not
 * in it); for anything else the ethertype and the two MAC addresses. A key names a flow in one direction; the
 * reply key of a transmitted frame is the key its answers will have.
 */
final class NetFlows {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private NetFlows() {
    }

    /** The flow of {@code frame}, as it travels. */
    static ByteBuffer key(byte[] frame) {
        return key(frame, false);
    }

    /** The flow of the frames that answer {@code frame}: source and destination swapped. */
    static ByteBuffer replyKey(byte[] frame) {
        return key(frame, true);
    }

    /**
     * The receive queue (0-based) a flow hashes to when {@code pairs} queue pairs are in use: FNV-1a over the key,
     * whose low bits depend on the low bits of the bytes alone, so mixed (MurmurHash3's finaliser) before the
     * remainder takes them.
     */
    static int hashQueue(ByteBuffer key, int pairs) {
        int h = 0x811c9dc5;
        for (int i = 0; i < key.limit(); i++) {
            h = (h ^ (key.get(i) & 0xff)) * 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Integer.remainderUnsigned(h, pairs);
    }

    private static ByteBuffer key(byte[] frame, boolean reply) {
        int type = frame.length >= 14 ? u16(frame, 12) : -1;
        byte[][] ends;
        int protocol;
        if (type == IPV4 && frame.length >= 34 && (frame[14] & 0xf0) == 0x40) {
            protocol = frame[23] & 0xff;
            boolean fragment = (u16(frame, 20) & 0x3fff) != 0;
            ends = ends(frame, 26, 30, 4, 14 + (frame[14] & 0x0f) * 4, protocol, !fragment);
        } else if (type == IPV6 && frame.length >= 54) {
            protocol = frame[20] & 0xff;
            ends = ends(frame, 22, 38, 16, 54, protocol, true);
        } else {
            protocol = type;
            ends = new byte[][] {Arrays.copyOfRange(frame, 6, 12), Arrays.copyOfRange(frame, 0, 6)};
        }
        byte[] first = reply ? ends[1] : ends[0];
        byte[] second = reply ? ends[0] : ends[1];
        return ByteBuffer.allocate(4 + first.length + second.length).putInt(type << 16 ^ protocol).put(first)
                .put(second).flip();
    }

    /** Source and destination: address, then port where the protocol has one and the frame holds it. */
    private static byte[][] ends(byte[] frame, int source, int destination, int width, int l4, int protocol,
            boolean whole) {
        boolean ports = whole && (protocol == TCP || protocol == UDP) && frame.length >= l4 + 4;
        byte[][] ends = new byte[2][];
        int[] at = {source, destination};
        for (int e = 0; e < 2; e++) {
            ends[e] = Arrays.copyOf(Arrays.copyOfRange(frame, at[e], at[e] + width), width + (ports ? 2 : 0));
            if (ports) {
                System.arraycopy(frame, l4 + 2 * e, ends[e], width, 2);
            }
        }
        return ends;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
