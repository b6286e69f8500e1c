package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.inproc.NetDrops.Reason;

/** Receive queue of the reference net device (VIRTIO 1.2 §5.1.6.3, §5.1.6.4), split and packed rings. */
class NetReceiveTest {
    /** flags 0, GSO_NONE, hdr_len, gso_size, csum_start, csum_offset 0, num_buffers 1: every byte fixed. */
    private static final byte[] HEADER_ONE_BUFFER = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};

    private static NetRig rig(boolean packed, boolean mergeable) {
        return new NetRig(Rings.plain(packed), mergeable);
    }

    private static byte[] withHeader(byte[] header, byte[] frame) {
        byte[] all = Arrays.copyOf(header, header.length + frame.length);
        System.arraycopy(frame, 0, all, header.length, frame.length);
        return all;
    }

    private static void assertNeedsReset(NetRig rig) {
        int status = rig.transport.status();
        assertNotEquals(0, status & DeviceStatus.DEVICE_NEEDS_RESET, DeviceStatus.describe(status));
        assertTrue(rig.pollRx().isEmpty(), "no buffer is returned");
        assertEquals(1, rig.device.framesWaiting(), "the frame was not taken");
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void frameArrivesBehindAnExactHeaderWithUsedLenOfHeaderAndFrame(boolean packed) {
        NetRig rig = rig(packed, false);
        Chain buffer = rig.post(NetRig.RX_BUFFER).get(0);
        rig.transport.takeInterrupts();
        byte[] frame = NetRig.frame(60, 1);
        rig.wire.inject(frame);
        Completion c = rig.awaitRx();
        assertEquals(buffer, c.chain());
        assertEquals(NetHeader.SIZE + 60, c.usedLen());
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, frame), rig.written(c));
        byte[] rest = rig.memory.read(buffer.writable().get(0).address() + c.usedLen(), (int) (NetRig.RX_BUFFER - c.usedLen()));
        for (byte b : rest) {
            assertEquals(Allocator.POISON, b, "nothing written past used len");
        }
        assertEquals(MmioRegister.INT_USED_BUFFER, rig.transport.takeInterrupts(), "injection raised the interrupt");
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void headerAndFrameSpreadOverTheDescriptorsOfOneBuffer(boolean packed) {
        NetRig rig = rig(packed, false);
        rig.postSegmented(5, 10, 300, 2000);
        byte[] frame = NetRig.frame(400, 2);
        rig.wire.inject(frame);
        Completion c = rig.awaitRx();
        assertEquals(NetHeader.SIZE + 400, c.usedLen());
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, frame), rig.written(c));
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void mergeableFrameSpansThreeBuffersWithNumBuffersThree(boolean packed) {
        NetRig rig = rig(packed, true);
        List<Chain> buffers = rig.post(400, 400, 400, 400);
        byte[] frame = NetRig.frame(1000, 3);
        rig.wire.inject(frame);
        byte[] header = NetHeader.received(3).bytes();
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0}, header);
        byte[] expected = withHeader(header, frame);
        long[] lens = {400, 400, 212};
        byte[] got = new byte[0];
        for (int i = 0; i < 3; i++) {
            Completion c = rig.awaitRx();
            assertEquals(buffers.get(i), c.chain());
            assertEquals(lens[i], c.usedLen(), "buffer " + i);
            got = withHeader(got, rig.written(c));
        }
        assertArrayEquals(expected, got);
        assertTrue(rig.pollRx().isEmpty(), "the fourth buffer stays posted");
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void mergeableFrameThatFitsOneBufferSaysOneBuffer(boolean packed) {
        NetRig rig = rig(packed, true);
        rig.post(NetRig.RX_BUFFER);
        byte[] frame = NetRig.frame(200, 4);
        rig.wire.inject(frame);
        Completion c = rig.awaitRx();
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, frame), rig.written(c));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void mergeableFrameWaitsUntilEnoughBuffersArePosted(boolean packed) {
        NetRig rig = rig(packed, true);
        rig.post(400);
        rig.wire.inject(NetRig.frame(1000, 5));
        assertTrue(rig.pollRx().isEmpty(), "one buffer is not enough, and none is returned alone");
        assertEquals(1, rig.device.framesWaiting());
        rig.post(400);
        assertTrue(rig.pollRx().isEmpty());
        rig.post(400);
        for (long len : new long[] {400, 400, 212}) {
            assertEquals(len, rig.awaitRx().usedLen());
        }
        assertEquals(0, rig.device.framesWaiting());
        assertEquals(0, rig.device.drops().total());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesWaitOnTheWireUntilBuffersArePostedThenArriveInOrder(boolean packed) {
        NetRig rig = rig(packed, false);
        for (int i = 0; i < 3; i++) {
            rig.wire.inject(NetRig.frame(100 + i, i));
        }
        assertEquals(3, rig.device.framesWaiting());
        assertTrue(rig.pollRx().isEmpty());
        rig.post(NetRig.RX_BUFFER, NetRig.RX_BUFFER);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(100 + i, i)), rig.written(rig.awaitRx()));
        }
        assertEquals(1, rig.device.framesWaiting());
        rig.post(NetRig.RX_BUFFER);
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(102, 2)), rig.written(rig.awaitRx()));
        assertEquals(0, rig.device.drops().total());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesInjectedBeforeTheDriverStartsWaitThroughItsReset(boolean packed) {
        NetDevice device = new NetDevice(NetRig.MAC, 1500);
        device.wire().inject(NetRig.frame(70, 6));
        NetRig rig = new NetRig(DriverRig.mmio(device), Rings.plain(packed), false, NetRig.QUEUE_SIZE);
        assertEquals(1, device.framesWaiting(), "nothing is delivered before the driver posts buffers");
        rig.post(NetRig.RX_BUFFER);
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(70, 6)), rig.written(rig.awaitRx()));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void nothingIsDeliveredBeforeDriverOk(boolean packed) {
        NetRig rig = rig(packed, false);
        rig.driver.negotiate(NetRig.features(Rings.plain(packed), false));
        Virtqueue rx = rig.driver.setupQueue(NetDevice.RECEIVEQ, NetRig.QUEUE_SIZE);
        rig.driver.setupQueue(NetDevice.TRANSMITQ, NetRig.QUEUE_SIZE);
        rx.add(List.of(), List.of(rig.alloc.writable(NetRig.RX_BUFFER)));
        rig.transport.notifyQueue(NetDevice.RECEIVEQ);
        rig.wire.inject(NetRig.frame(70, 7));
        assertEquals(1, rig.device.framesWaiting(), "FEATURES_OK but no DRIVER_OK yet");
        assertTrue(rx.poll().isEmpty());
        rig.driver.driverOk();
        rig.transport.notifyQueue(NetDevice.RECEIVEQ);
        assertEquals(NetHeader.SIZE + 70, rx.await(rig.driver.deadline()).usedLen());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void withoutMergeableAFrameTooBigForTheNextBufferIsDroppedAndTheBufferKept(boolean packed) {
        NetRig rig = rig(packed, false);
        Chain small = rig.post(NetHeader.SIZE + 100).get(0);
        rig.wire.inject(NetRig.frame(101, 8));
        assertTrue(rig.pollRx().isEmpty());
        assertEquals(1, rig.device.drops().count(Reason.RX_BUFFER_TOO_SMALL));
        assertEquals(0, rig.device.framesWaiting());
        rig.wire.inject(NetRig.frame(100, 9));
        Completion c = rig.awaitRx();
        assertEquals(small, c.chain(), "the buffer waited for a frame that fits");
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(100, 9)), rig.written(c));
        assertEquals(List.of(), rig.driver.findings());
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void mergeableBufferShorterThanAHeaderNeedsReset(boolean packed) {
        NetRig rig = rig(packed, true);
        rig.post(NetHeader.SIZE - 1);
        rig.wire.inject(NetRig.frame(60, 10));
        assertNeedsReset(rig);
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void receiveBufferWithoutWritableBytesNeedsReset(boolean packed) {
        NetRig rig = rig(packed, false);
        rig.rx.add(List.of(rig.alloc.readable(new byte[64])), List.of());
        rig.driver.kick(rig.rx);
        rig.wire.inject(NetRig.frame(60, 11));
        assertNeedsReset(rig);
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesLargerThanMtuPlusEthernetHeaderOrRuntsAreNotPassed(boolean packed) {
        NetRig rig = rig(packed, true);
        rig.post(2000, 2000);
        rig.wire.inject(NetRig.frame(1515, 12));
        rig.wire.inject(NetRig.frame(13, 13));
        rig.wire.inject(NetRig.frame(1514, 14));
        Completion c = rig.awaitRx();
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(1514, 14)), rig.written(c));
        assertEquals(2, rig.device.drops().count(Reason.RX_SIZE));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void aFullBacklogDropsTheOldestFrames(boolean packed) {
        NetRig rig = rig(packed, false);
        int extra = 5;
        for (int i = 0; i < InprocNetWire.BACKLOG_FRAMES + extra; i++) {
            rig.wire.inject(NetRig.frame(60, i));
        }
        assertEquals(InprocNetWire.BACKLOG_FRAMES, rig.device.framesWaiting());
        assertEquals(extra, rig.device.drops().count(Reason.RX_BACKLOG_FULL));
        rig.post(NetRig.RX_BUFFER);
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(60, extra)), rig.written(rig.awaitRx()));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void framesInjectedWhileTheLinkIsDownAreLost(boolean packed) {
        NetRig rig = rig(packed, false);
        rig.post(NetRig.RX_BUFFER);
        rig.wire.setLinkUp(false);
        rig.wire.inject(NetRig.frame(60, 15));
        assertTrue(rig.pollRx().isEmpty());
        assertEquals(1, rig.device.drops().count(Reason.RX_LINK_DOWN));
        rig.wire.setLinkUp(true);
        rig.wire.inject(NetRig.frame(60, 16));
        assertArrayEquals(withHeader(HEADER_ONE_BUFFER, NetRig.frame(60, 16)), rig.written(rig.awaitRx()));
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void indirectEventIdxAndInOrderBatchesWithMergeableBuffers(boolean packed) {
        NetRig rig = new NetRig(DriverRig.mmio(new NetDevice(NetRig.MAC, 1500, true)), Rings.all(packed), true,
                NetRig.QUEUE_SIZE);
        for (int round = 0; round < 30; round++) {
            Allocator.Mark mark = rig.alloc.mark();
            // Segmented buffers go through indirect tables; the header straddles the first one's two segments, and
            // header and frame fill two buffers and spill into the third.
            rig.postSegmented(6, 300);
            rig.postSegmented(100, 206);
            rig.postSegmented(200, 200);
            byte[] frame = NetRig.frame(601 + round, round);
            rig.wire.inject(frame);
            Completion first = rig.awaitRx();
            Completion second = rig.awaitRx();
            Completion third = rig.awaitRx();
            assertTrue(first.inferred() && second.inferred(), "used in full, returned by the batch's one entry");
            assertEquals(306, second.usedLen());
            assertEquals(NetHeader.SIZE + frame.length - 612, third.usedLen());
            assertFalse(third.inferred());
            byte[] got = withHeader(withHeader(rig.written(first), rig.written(second)), rig.written(third));
            assertArrayEquals(withHeader(NetHeader.received(3).bytes(), frame), got);
            assertEquals(List.of(), rig.driver.findings());
            rig.alloc.rewind(mark);
        }
    }

    @ParameterizedTest(name = "packed={0}")
    @ValueSource(booleans = {false, true})
    void buffersTakenForAWaitingFrameAreForgottenAtResetButTheFrameWaits(boolean packed) {
        NetRig rig = rig(packed, true);
        rig.post(400);
        rig.wire.inject(NetRig.frame(1000, 17));
        assertTrue(rig.pollRx().isEmpty());
        // The driver starts over: the buffer the device took belonged to the old ring, the frame to the wire.
        rig.driver.start(NetRig.features(Rings.plain(packed), true), 2, NetRig.QUEUE_SIZE);
        assertEquals(1, rig.device.framesWaiting());
        Virtqueue rx = rig.driver.queue(NetDevice.RECEIVEQ);
        for (int i = 0; i < 3; i++) {
            rx.add(List.of(), List.of(rig.alloc.writable(400)));
        }
        rig.driver.kick(rx);
        for (long len : new long[] {400, 400, 212}) {
            assertEquals(len, rx.await(rig.driver.deadline()).usedLen());
        }
        assertEquals(List.of(), rig.driver.findings());
    }
}
