package org.virtiotck.harness.properties;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.net.NetHeader;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.harness.inproc.DriverRig;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.NetRig;

/**
 * Frames cross the reference net device intact and in order in both directions, whatever the interleaving of
 * transmissions, injections, loopbacks (the wire handing transmitted frames back) and receive-buffer refills, on
 * split and packed rings, with and without MRG_RXBUF and the other ring features. The driver side reassembles
 * merged frames from {@code num_buffers} alone, as a real driver would, and the driver model checks every used
 * entry and every byte the device wrote.
 */
class NetLoopbackProperties {
    private static final int QUEUE_SIZE = NetRig.QUEUE_SIZE;
    private static final int MIN_FRAME = 14;
    private static final int MAX_FRAME = 1514;

    /** Ring features, whether MRG_RXBUF is negotiated, and whether the device returns in-order batches. */
    record Features(Rings rings, boolean mergeable, boolean batching) {
    }

    enum Kind { SEND, INJECT, LOOP, RECEIVE }

    /** One step: transmit or inject a frame of {@code size} bytes, loop the wire back, or take received frames. */
    record Op(Kind kind, int size, int cut) {
    }

    @Provide
    Arbitrary<Features> features() {
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, b, b, b, b, b).as((packed, indirect, eventIdx, inOrder, mergeable, batching) ->
                new Features(new Rings(packed, indirect, eventIdx, inOrder), mergeable, batching));
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(MIN_FRAME,
                MAX_FRAME), Arbitraries.integers().between(0, MAX_FRAME + NetHeader.SIZE)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    /** Receive buffer sizes: big enough for any frame without MRG_RXBUF, small (header size up) with it. */
    @Provide
    Arbitrary<List<Integer>> bufferSizes() {
        return Arbitraries.integers().between(NetHeader.SIZE, 400).list().ofSize(QUEUE_SIZE)
                .filter(l -> l.stream().mapToInt(Integer::intValue).sum() >= NetRig.RX_BUFFER);
    }

    @Property(tries = 300)
    void framesArriveIntactAndInOrder(@ForAll("features") Features features, @ForAll("ops") List<Op> ops,
            @ForAll("bufferSizes") List<Integer> mergeableSizes) {
        Loopback loop = new Loopback(features, features.mergeable() ? mergeableSizes : null);
        ops.forEach(loop::apply);
        loop.finish();
    }

    @Example
    void thousandsOfFramesSplitAndPackedWithAndWithoutMergeableBuffers() {
        Random random = new Random(7);
        for (boolean packed : new boolean[] {false, true}) {
            for (boolean mergeable : new boolean[] {false, true}) {
                for (boolean all : new boolean[] {false, true}) {
                    List<Integer> sizes = new ArrayList<>();
                    for (int i = 0; i < QUEUE_SIZE; i++) {
                        sizes.add(i % 4 == 0 ? NetHeader.SIZE : 100 + random.nextInt(300));
                    }
                    Rings rings = all ? Rings.all(packed) : Rings.plain(packed);
                    Loopback loop = new Loopback(new Features(rings, mergeable, all), mergeable ? sizes : null);
                    for (int i = 0; i < 3000; i++) {
                        loop.apply(new Op(Kind.values()[random.nextInt(4)], MIN_FRAME
                                + random.nextInt(MAX_FRAME - MIN_FRAME + 1), random.nextInt(MAX_FRAME)));
                    }
                    loop.finish();
                }
            }
        }
    }

    /** A rig with a pool of receive buffers that are posted again once used, and the frames each side expects. */
    private static final class Loopback {
        /** Check the arena and reclaim transmit buffers after this many transmissions. */
        private static final int SENDS_PER_REWIND = 64;

        private final Features features;
        private final NetRig rig;
        private final Map<Long, Buffer> pool = new HashMap<>();
        private final Allocator.Mark transmitArea;
        private final Deque<byte[]> toWire = new ArrayDeque<>();
        private final Deque<byte[]> toDriver = new ArrayDeque<>();
        private final List<byte[]> partial = new ArrayList<>();
        private int buffersLeft;
        private int seed;
        private int sendsSinceRewind;

        Loopback(Features features, List<Integer> mergeableSizes) {
            this.features = features;
            NetDevice device = new NetDevice(NetRig.MAC, NetDevice.DEFAULT_MTU, features.batching());
            this.rig = new NetRig(DriverRig.mmio(device), features.rings(), features.mergeable(), QUEUE_SIZE);
            for (int i = 0; i < QUEUE_SIZE; i++) {
                int size = mergeableSizes != null ? mergeableSizes.get(i) : NetRig.RX_BUFFER + 7 * i;
                Buffer b = rig.alloc.writable(size);
                pool.put(b.address(), b);
                rig.rx.add(List.of(), List.of(b));
            }
            rig.driver.kick(rig.rx);
            transmitArea = rig.alloc.mark();
        }

        void apply(Op op) {
            switch (op.kind()) {
                case SEND -> send(NetRig.frame(op.size(), seed++), op.cut());
                case INJECT -> inject(NetRig.frame(op.size(), seed++));
                case LOOP -> loopBack();
                case RECEIVE -> receive();
            }
        }

        /** Everything that can still arrive does; then both sides have seen exactly what was sent to them. */
        void finish() {
            loopBack();
            while (receive()) {
                // Each pass posts the used buffers again, which lets waiting frames in.
            }
            assertEquals(0, toDriver.size(), "frames never delivered; device drops: " + rig.device.drops());
            assertTrue(partial.isEmpty(), "a merged frame was left incomplete");
            assertEquals(0, rig.device.drops().total(), rig.device.drops().toString());
            assertEquals(List.of(), rig.driver.findings());
        }

        private void send(byte[] frame, int cut) {
            byte[] packet = NetRig.packet(NetHeader.PLAIN, frame);
            int at = Math.min(cut, packet.length);
            // Cut anywhere, header included; an empty first piece means one descriptor.
            if (at == 0 || at == packet.length) {
                rig.send(packet);
            } else {
                rig.send(Arrays.copyOfRange(packet, 0, at), Arrays.copyOfRange(packet, at, packet.length));
            }
            for (Optional<Completion> c = rig.tx.poll(); c.isPresent(); c = rig.tx.poll()) {
                assertEquals(0, c.get().usedLen());
            }
            toWire.add(frame);
            if (++sendsSinceRewind == SENDS_PER_REWIND) {
                assertEquals(List.of(), rig.driver.findings());
                rig.alloc.rewind(transmitArea);
                sendsSinceRewind = 0;
            }
        }

        private void inject(byte[] frame) {
            toDriver.add(frame);
            rig.wire.inject(frame);
        }

        /** The wire hands every transmitted frame back toward the driver, after checking it. */
        private void loopBack() {
            for (byte[] frame : rig.wire.drainSent()) {
                assertArrayEquals(toWire.poll(), frame, "transmitted frame on the wire");
                inject(frame);
            }
            assertTrue(toWire.isEmpty(), toWire.size() + " transmitted frames never reached the wire");
        }

        /** Takes every used receive buffer, reassembles frames, posts the buffers again; true if any was used. */
        private boolean receive() {
            boolean any = false;
            for (Optional<Completion> next = rig.pollRx(); next.isPresent(); next = rig.pollRx()) {
                any = true;
                Completion c = next.get();
                byte[] data = rig.written(c);
                if (buffersLeft == 0) {
                    NetHeader header = NetHeader.parse(data);
                    assertEquals(NetHeader.received(header.numBuffers()), header, "received header");
                    assertTrue(header.numBuffers() >= 1);
                    assertTrue(features.mergeable() || header.numBuffers() == 1, "num_buffers without MRG_RXBUF");
                    buffersLeft = header.numBuffers();
                    data = Arrays.copyOfRange(data, NetHeader.SIZE, data.length);
                }
                partial.add(data);
                if (--buffersLeft > 0) {
                    assertEquals(c.chain().writableBytes(), c.usedLen(), "all buffers of a frame but the last are full");
                } else {
                    assertArrayEquals(toDriver.poll(), concat(partial), "received frame");
                    partial.clear();
                }
                rig.rx.add(List.of(), List.of(pool.get(c.chain().writable().get(0).address())));
            }
            rig.driver.kick(rig.rx);
            return any;
        }

        private static byte[] concat(List<byte[]> parts) {
            byte[] all = new byte[parts.stream().mapToInt(p -> p.length).sum()];
            int at = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }
    }
}
