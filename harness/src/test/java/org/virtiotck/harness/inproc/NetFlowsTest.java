package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flow keys and hashing of the reference net device's receive steering (VIRTIO 1.2 §5.1.6.5.6). */
class NetFlowsTest {
    private static final byte[] A = {0x02, 0, 0, 0, 0, 1};
    private static final byte[] B = {0x02, 0, 0, 0, 0, 2};

    /** An IPv4/UDP frame from {@code fromMac}, address 10.0.0.{from} and port {@code fromPort}, to the other end. */
    private static byte[] udp(byte[] toMac, byte[] fromMac, int from, int to, int fromPort, int toPort) {
        ByteBuffer b = ByteBuffer.allocate(60).put(toMac).put(fromMac).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 46).putInt(0).put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(new byte[] {10, 0, 0, (byte) from}).put(new byte[] {10, 0, 0, (byte) to});
        b.putShort((short) fromPort).putShort((short) toPort);
        return b.array();
    }

    @Test
    void theReplyKeyOfAFrameIsTheKeyOfItsAnswers() {
        byte[] out = udp(B, A, 1, 2, 7, 20000);
        byte[] answer = udp(A, B, 2, 1, 20000, 7);
        assertEquals(NetFlows.key(answer), NetFlows.replyKey(out));
        assertNotEquals(NetFlows.key(out), NetFlows.key(answer));
    }

    @Test
    void portsTellUdpFlowsApartButNotPacketsOfOneFlow() {
        assertNotEquals(NetFlows.key(udp(A, B, 2, 1, 20000, 7)), NetFlows.key(udp(A, B, 2, 1, 20001, 7)));
        byte[] second = udp(A, B, 2, 1, 20000, 7);
        second[59] = 1;
        assertEquals(NetFlows.key(udp(A, B, 2, 1, 20000, 7)), NetFlows.key(second));
    }

    @Test
    void flowsThatDifferInLowBitsOnlySpreadOverEveryQueue() {
        Set<Integer> queues = new HashSet<>();
        for (int f = 0; f < 32; f++) {
            queues.add(NetFlows.hashQueue(NetFlows.key(udp(A, B, f, 1, 20000 + f, 7)), 4));
        }
        assertEquals(Set.of(0, 1, 2, 3), queues);
    }

    @Test
    void framesWithoutAnIpHeaderAreKeyedByAddressesAndEthertype() {
        byte[] f = new byte[60];
        System.arraycopy(A, 0, f, 0, 6);
        System.arraycopy(B, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        assertEquals(4 + 12, NetFlows.key(f).limit());
    }
}
