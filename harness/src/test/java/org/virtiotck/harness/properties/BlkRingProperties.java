package org.virtiotck.harness.properties;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.MmioDeviceModel;

/**
 * The driver model and the reference blk device agree on every request, whatever the chain shape, the ring
 * features (indirect tables, event indices, in-order batches) and however many requests are in flight: each
 * completes exactly once, with the right status, data and used len, and the device writes nothing it must not.
 * A byte array models the disk.
 */
class BlkRingProperties {
    private static final int CAPACITY = 256;

    /** Ring features a rig negotiates, and whether the device returns in-order batches when it may. */
    record Features(boolean packed, boolean indirect, boolean eventIdx, boolean inOrder, boolean batching) {
        FeatureSet wanted() {
            FeatureSet f = FeatureSet.NONE;
            f = packed ? f.with(Feature.RING_PACKED) : f;
            f = indirect ? f.with(Feature.INDIRECT_DESC) : f;
            f = eventIdx ? f.with(Feature.EVENT_IDX) : f;
            return inOrder ? f.with(Feature.IN_ORDER) : f;
        }
    }

    /** A fresh device and driver with a request queue of {@code queueSize} entries. */
    private static final class Rig {
        final BlkDevice device;
        final GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 20);
        final Allocator alloc = new Allocator(memory, memory.base(), memory.size(), 32);
        final VirtioDriver driver;
        final Virtqueue queue;
        final byte[] model = new byte[CAPACITY * 512];

        Rig(int queueSize, Features features) {
            device = new BlkDevice(CAPACITY, "prop", false, features.batching());
            driver = new VirtioDriver(new MmioTransport(new MmioDeviceModel(device, memory)), alloc, Duration.ofSeconds(5));
            assertEquals(features.wanted().with(Feature.VERSION_1), driver.negotiate(features.wanted()));
            queue = driver.setupQueue(0, queueSize);
            driver.driverOk();
        }
    }

    @Provide
    Arbitrary<Features> features() {
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, b, b, b, b).as(Features::new);
    }

    @Provide
    Arbitrary<BlkRequestPlan> requests() {
        Arbitrary<Integer> sectors = Arbitraries.integers().between(1, 8);
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, Arbitraries.integers().between(0, CAPACITY - 8), sectors,
                Arbitraries.integers().between(1, 8 * 512 - 1).list().ofMaxSize(3), b, b, b)
                .as((write, sector, n, cuts, splitHeader, statusWithData, indirect) -> new BlkRequestPlan(write, sector,
                        n, cuts.stream().filter(c -> c < n * 512).distinct().sorted().toList(), splitHeader,
                        statusWithData, indirect));
    }

    @Provide
    Arbitrary<List<BlkRequestPlan>> plans() {
        return requests().list().ofMinSize(1).ofMaxSize(40);
    }

    /** Plans of up to 7 descriptors, on split rings of 8 and 16 entries and packed rings of 7 to 16. */
    @Property(tries = 300)
    void everyRequestCompletesOnceWithTheRightData(@ForAll("features") Features features,
            @ForAll @IntRange(min = 7, max = 16) int size, @ForAll("plans") List<BlkRequestPlan> plans) {
        run(new Rig(features.packed() ? size : Integer.highestOneBit(Math.max(size, 8)), features), plans);
    }

    @Example
    void tenThousandRequestsOnFourEightAndSixteenEntryRingsSplitAndPacked() {
        Random random = new Random(42);
        for (int size : new int[] {4, 8, 16}) {
            for (boolean packed : new boolean[] {false, true}) {
                // Plain rings, then every ring feature at once with in-order batches.
                for (boolean all : new boolean[] {false, true}) {
                    Rig rig = new Rig(size, new Features(packed, all, all, all, all));
                    List<BlkRequestPlan> plans = new ArrayList<>();
                    for (int i = 0; i < 10_000; i++) {
                        // At most 4 descriptors, so that even the 4-entry ring takes every plan.
                        boolean cut = random.nextBoolean();
                        plans.add(new BlkRequestPlan(random.nextBoolean(), random.nextInt(CAPACITY - 2),
                                1 + random.nextInt(2), cut ? List.of(100) : List.of(), !cut && random.nextBoolean(),
                                random.nextBoolean(), random.nextBoolean()));
                    }
                    run(rig, plans);
                }
            }
        }
    }

    /** Submits the plans in batches that fill the ring as far as descriptors allow, then checks each completion. */
    private static void run(Rig rig, List<BlkRequestPlan> plans) {
        int next = 0;
        while (next < plans.size()) {
            Allocator.Mark mark = rig.alloc.mark();
            List<Submitted> batch = new ArrayList<>();
            int free = rig.queue.size();
            while (next < plans.size() && ringSlots(rig, plans.get(next)) <= free) {
                free -= ringSlots(rig, plans.get(next));
                batch.add(submit(rig, plans.get(next++)));
            }
            assertFalse(batch.isEmpty(), "a plan needs more descriptors than the ring has");
            rig.driver.kick(rig.queue);
            for (Submitted s : batch) {
                Completion c = rig.queue.await(rig.driver.deadline());
                Submitted done = batch.stream().filter(b -> b.chain.equals(c.chain())).findFirst().orElseThrow();
                check(rig, done, c);
            }
            assertTrue(rig.queue.poll().isEmpty(), "no completion beyond the batch");
            // Completions arrive in submission order here, so the model has now seen every write of the batch.
            assertArrayEquals(rig.model, rig.device.image(), "disk after the batch");
            assertEquals(List.of(), rig.driver.findings());
            rig.alloc.rewind(mark);
        }
    }

    /** Whether the plan goes through an indirect table on this rig: only where the ring has them and it fits. */
    private static boolean indirect(Rig rig, BlkRequestPlan p) {
        return p.indirect() && p.descriptors() <= rig.queue.maxIndirect();
    }

    private static int ringSlots(Rig rig, BlkRequestPlan p) {
        return indirect(rig, p) ? 1 : p.descriptors();
    }

    private record Submitted(BlkRequestPlan plan, Chain chain, List<Buffer> in, Buffer status, byte[] data) {
    }

    private static Submitted submit(Rig rig, BlkRequestPlan p) {
        byte[] header = BlkRequest.header(p.write() ? BlkRequest.T_OUT : BlkRequest.T_IN, p.sector());
        List<Buffer> readable = new ArrayList<>();
        if (p.splitHeader()) {
            readable.add(rig.alloc.readable(Arrays.copyOfRange(header, 0, 7)));
            readable.add(rig.alloc.readable(Arrays.copyOfRange(header, 7, 16)));
        } else {
            readable.add(rig.alloc.readable(header));
        }
        byte[] data = new byte[p.dataBytes()];
        new Random(p.hashCode()).nextBytes(data);
        List<Integer> bounds = new ArrayList<>(p.cuts());
        bounds.add(0, 0);
        bounds.add(data.length);
        List<Buffer> writable = new ArrayList<>();
        for (int i = 0; i + 1 < bounds.size(); i++) {
            int from = bounds.get(i);
            int to = bounds.get(i + 1);
            boolean last = i + 2 == bounds.size();
            if (p.write()) {
                readable.add(rig.alloc.readable(Arrays.copyOfRange(data, from, to)));
            } else {
                writable.add(rig.alloc.writable(to - from + (last && p.statusWithData() ? 1 : 0)));
            }
        }
        List<Buffer> in = List.copyOf(writable);
        Buffer status = p.write() || !p.statusWithData() ? rig.alloc.writable(1) : null;
        if (status != null) {
            writable.add(status);
        }
        Chain chain = rig.queue.add(readable, writable, indirect(rig, p));
        return new Submitted(p, chain, in, status, data);
    }

    private static void check(Rig rig, Submitted s, Completion c) {
        BlkRequestPlan p = s.plan();
        int offset = p.sector() * 512;
        long statusAddr = s.status() != null ? s.status().address() : s.in().get(s.in().size() - 1).end() - 1;
        assertEquals(BlkRequest.S_OK, rig.memory.u8(statusAddr), p.toString());
        if (p.write()) {
            System.arraycopy(s.data(), 0, rig.model, offset, s.data().length);
            assertEquals(1, c.usedLen(), p.toString());
        } else {
            byte[] got = new byte[p.dataBytes()];
            int at = 0;
            for (Buffer b : s.in()) {
                int n = Math.min(b.length(), got.length - at);
                rig.memory.read(b.address(), got, at, n);
                at += n;
            }
            assertArrayEquals(Arrays.copyOfRange(rig.model, offset, offset + got.length), got, p.toString());
            assertEquals(p.dataBytes() + 1, c.usedLen(), p.toString());
        }
    }
}
