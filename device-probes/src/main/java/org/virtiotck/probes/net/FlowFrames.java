package org.virtiotck.probes.net;

import java.nio.ByteBuffer;

/**
 * IPv4/UDP frames of numbered flows, for the steering probes (VIRTIO 1.2 §5.1.6.5.6): what makes a flow is left
 * to the device, and a 5-tuple is what every implementation hashes. Flow {@code f} has its own peer address
 * and port; the payload carries flow and sequence number, so a received frame says what it is.
 */
final class FlowFrames {
    static final int LENGTH = 60;
    private static final byte[] SOURCE_MAC = {0x02, 0x76, 0x74, 0x63, 0x6b, 0x01};
    private static final int PAYLOAD = 14 + 20 + 8;
    /** The driver's side of every flow: this address and port. */
    private static final byte[] LOCAL_IP = {10, 118, (byte) 255, 1};
    private static final int PORT = 7;

    private FlowFrames() {
    }

    /** Packet {@code seq} of flow {@code flow}, from its peer to {@code destination}. */
    static byte[] frame(byte[] destination, int flow, int seq) {
        return build(destination, SOURCE_MAC, peer(flow), LOCAL_IP, 20000 + flow, PORT, flow, seq);
    }

    /** A packet the driver at {@code source} sends to flow {@code flow}'s peer: the flow's answers are {@link #frame}s. */
    static byte[] outgoing(byte[] source, int flow) {
        return build(SOURCE_MAC, source, LOCAL_IP, peer(flow), PORT, 20000 + flow, flow, 0);
    }

    private static byte[] peer(int flow) {
        return new byte[] {10, 118, (byte) (flow >> 8), (byte) flow};
    }

    private static byte[] build(byte[] toMac, byte[] fromMac, byte[] fromIp, byte[] toIp, int fromPort, int toPort,
            int flow, int seq) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(toMac, 0, 6).put(fromMac, 0, 6).putShort((short) 0x0800);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (LENGTH - 14)).putShort((short) seq).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(fromIp).put(toIp);
        b.putShort(ip + 10, (short) checksum(b.array(), ip, 20));
        b.putShort((short) fromPort).putShort((short) toPort).putShort((short) (LENGTH - 34)).putShort((short) 0);
        b.putInt(flow).putInt(seq);
        return b.array();
    }

    static int flowOf(byte[] frame) {
        return frame.length < PAYLOAD + 8 ? -1 : ByteBuffer.wrap(frame).getInt(PAYLOAD);
    }

    static int seqOf(byte[] frame) {
        return frame.length < PAYLOAD + 8 ? -1 : ByteBuffer.wrap(frame).getInt(PAYLOAD + 4);
    }

    private static int checksum(byte[] b, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i += 2) {
            sum += (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }
}
