package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.driver.DeviceNeedsResetException;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.EntropySource;

/**
 * The reference entropy device through both register models and every ring layout: exact fills from the source,
 * the source's log, starvation and later completion, and the chains §5.4 does not let the driver make.
 */
class RngDeviceTest {

    /** A started rng rig and its source. */
    private static final class Rng {
        final DriverRig rig;
        final EntropySource source;
        final Virtqueue q;

        Rng(RngDevice device, boolean pci, Rings rings) {
            rig = pci ? DriverRig.pci(device) : DriverRig.mmio(device);
            source = device.farSide(EntropySource.class).orElseThrow();
            rig.start(rings, FeatureSet.NONE, 16);
            q = rig.queue(RngDevice.REQUESTQ);
        }

        Completion await() {
            return q.await(rig.driver.deadline());
        }
    }

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (boolean pci : new boolean[] {false, true}) {
            for (boolean packed : new boolean[] {false, true}) {
                all.add(Arguments.of(pci, Rings.plain(packed)));
                all.add(Arguments.of(pci, Rings.all(packed)));
            }
        }
        return all.stream();
    }

    @Test
    void offersOnlyRingFeaturesOneQueueAndNoConfig() {
        RngDevice device = new RngDevice();
        assertEquals(DeviceType.RNG, device.type());
        assertEquals(FeatureSet.of(Feature.VERSION_1, Feature.RING_PACKED, Feature.INDIRECT_DESC, Feature.EVENT_IDX,
                Feature.IN_ORDER), device.offeredFeatures());
        assertEquals(1, device.queueCount());
        assertEquals(0, device.config().length);
        DriverRig rig = DriverRig.mmio(device);
        assertEquals(0, rig.transport.readConfig(0, 4));
        assertEquals(0, rig.transport.queueMaxSize(1));
    }

    @Test
    void providerMakesTheReferenceRngWithTheDefaultSeed() {
        InprocDeviceProvider provider = InprocDevices.byName("rng").orElseThrow();
        assertTrue(provider.reference());
        assertEquals(DeviceType.RNG, provider.type());
        VirtioDevice device = provider.create();
        assertInstanceOf(RngDevice.class, device);
        assertArrayEquals(firstBytes(new RngDevice(RngDevice.DEFAULT_SEED), 32), firstBytes(device, 32));
        assertTrue(device.farSide(EntropySource.class).isPresent());
        assertTrue(device.farSide(Object.class).isEmpty());
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void fillsEveryWritableByteWithTheBytesTheSourceLogs(boolean pci, Rings rings) {
        Rng r = new Rng(new RngDevice(7), pci, rings);
        int[][] chains = {{1}, {64}, {4096}, {3, 5, 7}, {100, 1}};
        for (int[] sizes : chains) {
            r.rig.post(r.q, sizes);
        }
        ByteArrayOutputStream served = new ByteArrayOutputStream();
        for (int[] sizes : chains) {
            Completion done = r.await();
            assertEquals(Arrays.stream(sizes).sum(), done.usedLen(), "every writable byte filled, len exact");
            served.writeBytes(r.rig.written(done));
        }
        assertArrayEquals(served.toByteArray(), r.source.drainProvided());
        assertArrayEquals(new byte[0], r.source.drainProvided(), "drained");
        assertEquals(List.of(), r.rig.driver.findings());
    }

    @Test
    void theStreamDependsOnTheSeedOnlyNotOnHowRequestsCutIt() {
        byte[] whole = firstBytes(new RngDevice(99), 40);
        Rng r = new Rng(new RngDevice(99), false, Rings.plain(false));
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        for (int size : new int[] {1, 7, 8, 9, 15}) {
            r.rig.post(r.q, size);
            cut.writeBytes(r.rig.written(r.await()));
        }
        assertArrayEquals(whole, cut.toByteArray());
        assertFalse(Arrays.equals(whole, firstBytes(new RngDevice(100), 40)), "another seed, another stream");
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void aStarvedSourceHoldsRequestsUntilSuppliedAndNeverCompletesOneEmpty(boolean pci, Rings rings) {
        Rng r = new Rng(new RngDevice(), pci, rings);
        r.source.starve();
        r.rig.post(r.q, 100);
        r.rig.transport.notifyQueue(RngDevice.REQUESTQ);     // a notification changes nothing while starved
        assertTrue(r.q.poll().isEmpty(), "no bytes, no completion");
        r.rig.transport.takeInterrupts();

        r.source.supply(30);
        assertEquals(MmioRegister.INT_USED_BUFFER, r.rig.transport.takeInterrupts() & MmioRegister.INT_USED_BUFFER,
                "served without a new driver notification, and the driver told");
        Completion partial = r.await();
        assertEquals(30, partial.usedLen(), "what the source had, less than the buffer (§5.4.6.2 allows it)");
        assertArrayEquals(r.source.drainProvided(), r.rig.written(partial));

        r.rig.post(r.q, 100);
        r.rig.post(r.q, 100);
        assertTrue(r.q.poll().isEmpty());
        r.source.supply(150);
        Completion full = r.await();
        Completion rest = r.await();
        assertEquals(100, full.usedLen());
        assertEquals(50, rest.usedLen());
        r.rig.post(r.q, 8);
        assertTrue(r.q.poll().isEmpty(), "the supply is used up");
        r.source.unlimited();
        assertEquals(8, r.await().usedLen());
        assertEquals(List.of(), r.rig.driver.findings());
    }

    @Test
    void suppliesAddUpAndStarvingWithdrawsWhatIsLeft() {
        Rng r = new Rng(new RngDevice(), false, Rings.plain(false));
        r.source.starve();
        r.source.supply(5);
        r.source.supply(6);
        r.rig.post(r.q, 64);
        assertEquals(11, r.await().usedLen());
        r.source.supply(20);
        r.source.starve();
        r.rig.post(r.q, 64);
        assertTrue(r.q.poll().isEmpty());
        r.source.supply(0);
        assertTrue(r.q.poll().isEmpty(), "supplying nothing serves nothing");
        assertThrows(IllegalArgumentException.class, () -> r.source.supply(-1));
        r.source.supply(Long.MAX_VALUE);
        assertEquals(64, r.await().usedLen());
    }

    @Test
    void aRequestHeldAcrossAResetIsForgottenAndTheDeviceWorksAfterwards() {
        Rng r = new Rng(new RngDevice(), false, Rings.plain(true));
        r.source.starve();
        r.rig.post(r.q, 16);
        r.rig.start(Rings.plain(true), FeatureSet.NONE, 16);   // resets, then sets up a fresh queue
        r.source.supply(16);
        Virtqueue fresh = r.rig.queue(RngDevice.REQUESTQ);
        assertTrue(fresh.poll().isEmpty(), "the old request died with the reset");
        r.rig.post(fresh, 16);
        assertEquals(16, fresh.await(r.rig.driver.deadline()).usedLen());
    }

    @Test
    void readableDescriptorsAreLeftUnreadAndTheWritablePartIsFilled() {
        Rng r = new Rng(new RngDevice(), false, Rings.plain(false));
        Buffer out = r.rig.alloc.writable(32);
        r.q.add(List.of(r.rig.alloc.readable(new byte[] {1, 2, 3})), List.of(out));
        r.rig.driver.kick(r.q);
        assertEquals(32, r.await().usedLen());
        assertEquals(List.of(), r.rig.driver.findings(), "nothing written to the readable buffer");
    }

    @Test
    void aRequestWithNoWritableByteNeedsReset() {
        Rng r = new Rng(new RngDevice(), false, Rings.plain(false));
        r.q.add(List.of(r.rig.alloc.readable(new byte[8])), List.of());
        r.rig.driver.kick(r.q);
        assertThrows(DeviceNeedsResetException.class, () -> r.rig.driver.await(r.q));
        assertNotEquals(0, r.rig.transport.status() & DeviceStatus.DEVICE_NEEDS_RESET);
        assertEquals(0, r.source.drainProvided().length, "no entropy spent on it");
    }

    @Test
    void aRequestWithNoWritableByteInAHandBuiltRingNeedsResetAndNamesIt() {
        TestDriver d = new TestDriver(new RngDevice()).start();
        long buf = d.alloc(16);
        d.ring.submit(Buf.readable(buf, 16));
        d.notifyQueue();
        assertEquals(0, d.ring.usedIdx());
        assertNotEquals(0, d.status() & DeviceStatus.DEVICE_NEEDS_RESET);
        assertTrue(d.mmio.needsResetReason().orElseThrow().contains("no device-writable byte"));
    }

    @Test
    void handBuiltSplitRingGetsUsedLenAndIdsExact() {
        RngDevice device = new RngDevice(3);
        TestDriver d = new TestDriver(device).start();
        long a = d.alloc(10);
        long b = d.alloc(300);
        int first = d.ring.submit(Buf.writable(a, 10));
        int second = d.ring.submit(Buf.writable(b, 100), Buf.writable(b + 100, 200));
        d.notifyQueue();
        assertEquals(2, d.ring.usedIdx());
        assertEquals(first, d.ring.usedId(0));
        assertEquals(10, d.ring.usedLen(0));
        assertEquals(second, d.ring.usedId(1));
        assertEquals(300, d.ring.usedLen(1));
        byte[] provided = device.farSide(EntropySource.class).orElseThrow().drainProvided();
        assertArrayEquals(Arrays.copyOf(provided, 10), d.mem.read(a, 10));
        assertArrayEquals(Arrays.copyOfRange(provided, 10, 310), d.mem.read(b, 300));
    }

    /** The first {@code n} bytes a fresh device serves, taken in one request. */
    private static byte[] firstBytes(VirtioDevice device, int n) {
        DriverRig rig = DriverRig.mmio(device).start(Rings.plain(false), FeatureSet.NONE, 8);
        rig.post(rig.queue(0), n);
        return rig.written(rig.queue(0).await(rig.driver.deadline()));
    }
}
