package org.virtiotck.harness.inproc;

/**
 * The flow a received frame belongs to, as automatic receive steering needs it (VIRTIO 1.2 §5.1.6.5.6): for IPv4
 * and IPv6 the addresses and protocol, and the ports of TCP and UDP (unfragmented IPv4 only, as the ports of a
 * fragment are not in it); for anything else the two MAC addresses and the ethertype. The hash is FNV-1a over
 * those bytes, so a flow always hashes alike.
 */
final class NetFlows {
    private static final int IPV4 = 0x0800;
    private static final int IPV6 = 0x86dd;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int FNV_BASIS = 0x811c9dc5;

    private NetFlows() {
    }

    /** The receive queue (0-based) of {@code frame} when {@code pairs} queue pairs are in use. */
    static int queueOf(byte[] frame, int pairs) {
        return Integer.remainderUnsigned(hash(frame), pairs);
    }

    static int hash(byte[] frame) {
        int type = frame.length >= 14 ? u16(frame, 12) : -1;
        if (type == IPV4 && frame.length >= 34 && (frame[14] & 0xf0) == 0x40) {
            int ihl = (frame[14] & 0x0f) * 4;
            int protocol = frame[23] & 0xff;
            boolean fragment = (u16(frame, 20) & 0x3fff) != 0;
            int h = fnv(FNV_BASIS, frame, 26, 8);
            h = fnv(h, frame, 23, 1);
            return ports(h, frame, 14 + ihl, protocol, !fragment);
        }
        if (type == IPV6 && frame.length >= 54) {
            int h = fnv(FNV_BASIS, frame, 22, 32);
            h = fnv(h, frame, 20, 1);
            return ports(h, frame, 54, frame[20] & 0xff, true);
        }
        return fnv(FNV_BASIS, frame, 0, Math.min(frame.length, 14));
    }

    private static int ports(int h, byte[] frame, int at, int protocol, boolean whole) {
        if (whole && (protocol == TCP || protocol == UDP) && frame.length >= at + 4) {
            return fnv(h, frame, at, 4);
        }
        return h;
    }

    private static int fnv(int h, byte[] b, int from, int length) {
        for (int i = from; i < from + length; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x01000193;
        }
        return h;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }
}
