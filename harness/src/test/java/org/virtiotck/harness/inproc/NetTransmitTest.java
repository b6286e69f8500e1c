package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.inproc.NetDrops.Reason;

/** Transmit queue of the reference net device (VIRTIO 1.2 §5.1.6.2), split and packed rings. */
class NetTransmitTest {

    private static NetRig rig(boolean packed) {
        return new NetRig(Rings.plain(packed), false);
    }

    /** Sends one chain, waits for it and checks it came back with used len 0 and no finding. */
    private static void sendAndComplete(NetRig rig, byte[]... parts) {
        Chain chain = rig.send(parts);
        Completion c = rig.awaitTx();
        assertEquals(chain, c.chain());
        assertEquals(0, c.usedLen(), "a transmit buffer has nothing written into it");
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void frameInOneDescriptorReachesTheWireWithoutItsHeader(boolean packed) {
        NetRig rig = rig(packed);
        byte[] frame = NetRig.frame(60, 1);
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, frame));
        assertArrayEquals(frame, rig.wire.pollSent().orElseThrow());
        assertTrue(rig.wire.pollSent().isEmpty());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void headerSplitAcrossDescriptorsAndSharingOneWithTheFrame(boolean packed) {
        NetRig rig = rig(packed);
        byte[] frame = NetRig.frame(100, 2);
        byte[] packet = NetRig.packet(NetHeader.PLAIN, frame);
        // Header in its own descriptor, then frame in two.
        sendAndComplete(rig, Arrays.copyOfRange(packet, 0, 12), Arrays.copyOfRange(packet, 12, 50),
                Arrays.copyOfRange(packet, 50, packet.length));
        // Header cut in three, the last piece sharing a descriptor with the frame's start.
        sendAndComplete(rig, Arrays.copyOfRange(packet, 0, 1), Arrays.copyOfRange(packet, 1, 7),
                Arrays.copyOfRange(packet, 7, 30), Arrays.copyOfRange(packet, 30, packet.length));
        assertEquals(2, rig.wire.drainSent().stream().filter(f -> Arrays.equals(frame, f)).count());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesReachTheWireInOrderAndWritableBytesAreIgnored(boolean packed) {
        NetRig rig = rig(packed);
        for (int i = 0; i < 5; i++) {
            rig.tx.add(List.of(rig.alloc.readable(NetRig.packet(NetHeader.PLAIN, NetRig.frame(64 + i, i)))),
                    i == 2 ? List.of(rig.alloc.writable(16)) : List.of());
        }
        rig.driver.kick(rig.tx);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, rig.awaitTx().usedLen());
        }
        List<byte[]> sent = rig.wire.drainSent();
        assertEquals(5, sent.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(NetRig.frame(64 + i, i), sent.get(i));
        }
        assertEquals(List.of(), rig.driver.findings(), "the writable buffer was left untouched");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void unrecognisedFlagBitsAndFieldsTheDeviceMustNotRelyOnAreIgnored(boolean packed) {
        NetRig rig = rig(packed);
        byte[] frame = NetRig.frame(80, 3);
        int flags = NetHeader.F_DATA_VALID | NetHeader.F_RSC_INFO | 0x80;
        sendAndComplete(rig, NetRig.packet(new NetHeader(flags, NetHeader.GSO_NONE, 9999, 3, 7, 5, 4), frame));
        assertArrayEquals(frame, rig.wire.pollSent().orElseThrow());
        assertEquals(0, rig.device.drops().total());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void offloadRequestsThatWereNeverOfferedAreDroppedButTheBufferReturns(boolean packed) {
        NetRig rig = rig(packed);
        byte[] frame = NetRig.frame(80, 4);
        sendAndComplete(rig, NetRig.packet(new NetHeader(NetHeader.F_NEEDS_CSUM, NetHeader.GSO_NONE, 0, 0, 34, 16, 0),
                frame));
        sendAndComplete(rig, NetRig.packet(new NetHeader(NetHeader.F_NEEDS_CSUM, NetHeader.GSO_TCPV4, 54, 1448, 34,
                16, 0), frame));
        sendAndComplete(rig, NetRig.packet(new NetHeader(0, NetHeader.GSO_ECN, 0, 0, 0, 0, 0), frame));
        assertTrue(rig.wire.pollSent().isEmpty());
        assertEquals(3, rig.device.drops().count(Reason.TX_OFFLOAD));
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, frame));
        assertArrayEquals(frame, rig.wire.pollSent().orElseThrow(), "the queue goes on");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesUpToMtuPlusEthernetHeaderPassAndOthersAreDropped(boolean packed) {
        NetRig rig = rig(packed);
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(1514, 5)));
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(14, 6)));
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(1515, 7)));
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(13, 8)));
        sendAndComplete(rig, NetHeader.PLAIN.bytes());
        List<byte[]> sent = rig.wire.drainSent();
        assertEquals(2, sent.size());
        assertArrayEquals(NetRig.frame(1514, 5), sent.get(0));
        assertArrayEquals(NetRig.frame(14, 6), sent.get(1));
        assertEquals(3, rig.device.drops().count(Reason.TX_SIZE));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void bufferShorterThanTheHeaderNeedsReset(boolean packed) {
        NetRig rig = rig(packed);
        rig.send(new byte[NetHeader.SIZE - 1]);
        int status = rig.transport.status();
        assertNotEquals(0, status & DeviceStatus.DEVICE_NEEDS_RESET, DeviceStatus.describe(status));
        assertTrue(rig.tx.poll().isEmpty(), "the buffer is not returned");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectTablesAndEventIndexCarryFramesToo(boolean packed) {
        NetRig rig = new NetRig(Rings.all(packed), false);
        for (int round = 0; round < 40; round++) {
            byte[] frame = NetRig.frame(60 + round, round);
            byte[] packet = NetRig.packet(NetHeader.PLAIN, frame);
            // Three descriptors, so the queue puts them in an indirect table.
            sendAndComplete(rig, Arrays.copyOfRange(packet, 0, 5), Arrays.copyOfRange(packet, 5, 20),
                    Arrays.copyOfRange(packet, 20, packet.length));
            assertArrayEquals(frame, rig.wire.pollSent().orElseThrow());
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void inOrderBatchingReturnsAPassOfTransmitBuffersWithOneUsedEntry(boolean packed) {
        NetRig rig = new NetRig(DriverRig.mmio(new NetDevice(NetRig.MAC, 1500, true)), Rings.all(packed), false,
                NetRig.QUEUE_SIZE);
        for (int i = 0; i < 4; i++) {
            rig.tx.add(List.of(rig.alloc.readable(NetRig.packet(NetHeader.PLAIN, NetRig.frame(60, i)))), List.of());
        }
        rig.driver.kick(rig.tx);
        for (int i = 0; i < 4; i++) {
            Completion c = rig.awaitTx();
            assertEquals(i < 3, c.inferred(), "all but the last are returned by the batch's one entry");
            assertEquals(0, c.usedLen());
        }
        assertEquals(4, rig.wire.drainSent().size());
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void nothingIsTransmittedWhileTheLinkIsDown(boolean packed) {
        NetRig rig = rig(packed);
        rig.wire.setLinkUp(false);
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(60, 9)));
        assertTrue(rig.wire.pollSent().isEmpty());
        assertEquals(1, rig.device.drops().count(Reason.TX_LINK_DOWN));
        rig.wire.setLinkUp(true);
        sendAndComplete(rig, NetRig.packet(NetHeader.PLAIN, NetRig.frame(60, 9)));
        assertArrayEquals(NetRig.frame(60, 9), rig.wire.awaitSent(rig.driver.deadline()).orElseThrow());
    }
}
