package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * The reference console through both register models and every ring layout, driven by the driver model: port 0's
 * two streams end to end, flow control on receive, the size in the configuration space, and emergency writes.
 */
class ConsoleDeviceTest {
    private static final FeatureSet CONSOLE_FEATURES = FeatureSet.of(Feature.CONSOLE_SIZE, Feature.CONSOLE_EMERG_WRITE);

    /** A started console rig. */
    private static final class Console {
        final DriverRig rig;
        final ConsoleHost host;
        final Virtqueue rx;
        final Virtqueue tx;

        /** Started on a fresh rig, taking every console feature the device offers. */
        Console(ConsoleDevice device, boolean pci, Rings rings) {
            this(pci ? DriverRig.pci(device) : DriverRig.mmio(device), rings,
                    device.offeredFeatures().and(CONSOLE_FEATURES));
        }

        /** Started on {@code rig}, taking the console features in {@code features}. */
        Console(DriverRig rig, Rings rings, FeatureSet features) {
            this.rig = rig;
            host = rig.device.farSide(ConsoleHost.class).orElseThrow();
            rig.start(rings, features, 16);
            rx = rig.queue(ConsoleDevice.RECEIVEQ);
            tx = rig.queue(ConsoleDevice.TRANSMITQ);
        }

        /** Transmits {@code parts} as one chain, one readable descriptor each, directly or through a table. */
        Completion transmit(boolean indirect, byte[]... parts) {
            List<Buffer> readable = new ArrayList<>();
            for (byte[] part : parts) {
                readable.add(rig.alloc.readable(part));
            }
            tx.add(readable, List.of(), indirect);
            rig.driver.kick(tx);
            return tx.await(rig.driver.deadline());
        }

        long config(int offset, int width) {
            return rig.transport.readConfig(offset, width);
        }

        void assertClean() {
            assertEquals(List.of(), rig.driver.findings());
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

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + seed);
        }
        return b;
    }

    @Test
    void offersPort0WithSizeAndEmergencyWriteButNoMultiport() {
        ConsoleDevice device = new ConsoleDevice();
        assertEquals(DeviceType.CONSOLE, device.type());
        assertEquals(FeatureSet.of(Feature.VERSION_1, Feature.RING_PACKED, Feature.INDIRECT_DESC, Feature.EVENT_IDX,
                Feature.IN_ORDER, Feature.CONSOLE_SIZE, Feature.CONSOLE_EMERG_WRITE), device.offeredFeatures());
        assertEquals(2, device.queueCount(), "receiveq and transmitq of port 0, no control queues");
        DriverRig rig = DriverRig.mmio(device);
        assertTrue(rig.transport.queueMaxSize(1) > 0);
        assertEquals(0, rig.transport.queueMaxSize(2), "no control receiveq without MULTIPORT");
    }

    @Test
    void configHoldsSizeAndOnePort() {
        DriverRig rig = DriverRig.mmio(new ConsoleDevice(132, 43, true, true));
        assertEquals(12, rig.device.config().length);
        assertEquals(132, rig.transport.readConfig(0, 2));
        assertEquals(43, rig.transport.readConfig(2, 2));
        assertEquals(43L << 16 | 132, rig.transport.readConfig(0, 4));
        assertEquals(1, rig.transport.readConfig(4, 4));
        assertEquals(0, rig.transport.readConfig(8, 4), "emerg_wr reads 0");
    }

    @Test
    void providerMakesTheReferenceConsole() {
        InprocDeviceProvider provider = InprocDevices.byName("console").orElseThrow();
        assertTrue(provider.reference());
        assertEquals(DeviceType.CONSOLE, provider.type());
        VirtioDevice device = provider.create();
        assertInstanceOf(ConsoleDevice.class, device);
        assertTrue(device.farSide(ConsoleHost.class).isPresent());
        assertTrue(device.farSide(Object.class).isEmpty());
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void transmittedBytesReachTheHostInOrderWithUsedLenZero(boolean pci, Rings rings) {
        Console c = new Console(new ConsoleDevice(), pci, rings);
        boolean indirect = c.tx.features().indirect();
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte[][][] chains = {
            {bytes("hello")},
            {bytes(", "), bytes("wor"), bytes("ld")},
            {pattern(3000, 1)},
            {new byte[] {'\n'}, pattern(100, 7), pattern(1, 9), pattern(17, 11)},
        };
        for (byte[][] parts : chains) {
            for (boolean viaTable : indirect ? new boolean[] {false, true} : new boolean[] {false}) {
                Completion done = c.transmit(viaTable && parts.length > 1, parts);
                assertEquals(0, done.usedLen(), "the device writes nothing into a transmit buffer");
                for (byte[] p : parts) {
                    sent.writeBytes(p);
                }
            }
        }
        assertArrayEquals(sent.toByteArray(), c.host.drainFromDriver());
        assertArrayEquals(new byte[0], c.host.drainFromDriver(), "drained");
        c.assertClean();
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void hostBytesWaitForReceiveBuffersThenFillThemInOrder(boolean pci, Rings rings) {
        Console c = new Console(new ConsoleDevice(), pci, rings);
        byte[] data = pattern(20, 3);
        c.host.sendToDriver(data);
        assertTrue(c.rx.poll().isEmpty(), "no receive buffer yet, nothing used");

        c.rig.post(c.rx, 5);
        c.rig.post(c.rx, 3);
        c.rig.post(c.rx, 60, 40);            // one buffer of two descriptors
        Completion first = c.rx.await(c.rig.driver.deadline());
        Completion second = c.rx.await(c.rig.driver.deadline());
        Completion third = c.rx.await(c.rig.driver.deadline());
        assertEquals(List.of(5L, 3L, 12L), List.of(first.usedLen(), second.usedLen(), third.usedLen()),
                "used len is the bytes placed; the run goes on in the next buffer");
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (Completion done : List.of(first, second, third)) {
            got.writeBytes(c.rig.written(done));
        }
        assertArrayEquals(data, got.toByteArray());
        assertTrue(c.rx.poll().isEmpty());
        c.assertClean();
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void bytesSentWhileBuffersWaitArriveWithoutANotificationAndInterrupt(boolean pci, Rings rings) {
        Console c = new Console(new ConsoleDevice(), pci, rings);
        c.rig.post(c.rx, 64);
        c.rig.post(c.rx, 64, 64);
        assertTrue(c.rx.poll().isEmpty(), "no host bytes yet, buffers stay available");
        c.rig.transport.takeInterrupts();

        byte[] first = pattern(100, 5);
        c.host.sendToDriver(first);
        assertEquals(MmioRegister.INT_USED_BUFFER, c.rig.transport.takeInterrupts() & MmioRegister.INT_USED_BUFFER);
        Completion a = c.rx.await(c.rig.driver.deadline());
        Completion b = c.rx.await(c.rig.driver.deadline());
        assertEquals(64, a.usedLen());
        assertEquals(36, b.usedLen(), "the second buffer is returned part filled: there is nothing more yet");
        assertArrayEquals(first, concat(c.rig.written(a), c.rig.written(b)));

        c.host.sendToDriver(bytes("later"));
        assertTrue(c.rx.poll().isEmpty(), "every buffer used: the new bytes wait");
        c.rig.post(c.rx, 2);
        c.rig.post(c.rx, 10);
        assertArrayEquals(bytes("la"), c.rig.written(c.rx.await(c.rig.driver.deadline())));
        assertArrayEquals(bytes("ter"), c.rig.written(c.rx.await(c.rig.driver.deadline())));
        c.assertClean();
    }

    @Test
    void hostBytesSentBeforeTheDriverStartsSurviveItsReset() {
        ConsoleDevice device = new ConsoleDevice();
        device.farSide(ConsoleHost.class).orElseThrow().sendToDriver(bytes("early"));
        Console c = new Console(device, false, Rings.plain(false));    // starting resets the device
        c.rig.post(c.rx, 16);
        assertArrayEquals(bytes("early"), c.rig.written(c.rx.await(c.rig.driver.deadline())));
    }

    @Test
    void nothingIsReceivedBeforeDriverOk() {
        ConsoleDevice device = new ConsoleDevice();
        DriverRig rig = DriverRig.mmio(device);
        rig.driver.negotiate(FeatureSet.NONE);
        Virtqueue rx = rig.driver.setupQueue(ConsoleDevice.RECEIVEQ, 16);
        rig.post(rx, 8);
        device.farSide(ConsoleHost.class).orElseThrow().sendToDriver(bytes("abc"));
        assertTrue(rx.poll().isEmpty(), "no buffer is used before DRIVER_OK (§2.1.2)");
        rig.driver.driverOk();
        rig.transport.notifyQueue(ConsoleDevice.RECEIVEQ);
        assertArrayEquals(bytes("abc"), rig.written(rx.await(rig.driver.deadline())));
    }

    @Test
    void readableDescriptorsAreIgnoredInAReceiveBufferAndWritableOnesInATransmitBuffer() {
        Console c = new Console(new ConsoleDevice(), false, Rings.plain(false));
        Allocator alloc = c.rig.alloc;
        c.host.sendToDriver(pattern(10, 1));
        c.rx.add(List.of(alloc.readable(bytes("ignored"))), List.of(alloc.writable(4)));
        c.rig.driver.kick(c.rx);
        Completion rx = c.rx.await(c.rig.driver.deadline());
        assertEquals(4, rx.usedLen());

        Buffer spare = alloc.writable(8);
        c.tx.add(List.of(alloc.readable(bytes("out"))), List.of(spare));
        c.rig.driver.kick(c.tx);
        assertEquals(0, c.tx.await(c.rig.driver.deadline()).usedLen());
        assertArrayEquals(bytes("out"), c.host.drainFromDriver());
        for (int i = 0; i < spare.length(); i++) {
            assertEquals(Allocator.POISON, c.rig.memory.read(spare.address() + i, 1)[0], "transmit buffer written");
        }
        c.assertClean();   // a write to the readable receive buffer would be a finding
    }

    @Test
    void aReceiveBufferWithNoWritableByteComesBackEmptyAndTheBytesGoOn() {
        Console c = new Console(new ConsoleDevice(), false, Rings.plain(true));
        c.host.sendToDriver(bytes("xyz"));
        c.rx.add(List.of(c.rig.alloc.readable(new byte[4])), List.of());
        c.rig.driver.kick(c.rx);
        assertEquals(0, c.rx.await(c.rig.driver.deadline()).usedLen());
        c.rig.post(c.rx, 8);
        assertArrayEquals(bytes("xyz"), c.rig.written(c.rx.await(c.rig.driver.deadline())));
        assertEquals(0, c.rig.transport.status() & DeviceStatus.DEVICE_NEEDS_RESET);
    }

    @ParameterizedTest(name = "pci={0} {1}")
    @MethodSource("variants")
    void resizeChangesTheConfigWithANewGenerationAndAConfigInterrupt(boolean pci, Rings rings) {
        Console c = new Console(new ConsoleDevice(), pci, rings);
        c.rig.transport.takeInterrupts();
        int generation = c.rig.transport.configGeneration();
        assertTrue(c.host.resize(120, 50));
        assertEquals(120, c.config(0, 2));
        assertEquals(50, c.config(2, 2));
        assertNotEquals(generation, c.rig.transport.configGeneration());
        assertEquals(MmioRegister.INT_CONFIG_CHANGE, c.rig.transport.takeInterrupts());

        generation = c.rig.transport.configGeneration();
        assertTrue(c.host.resize(120, 50));
        assertEquals(generation, c.rig.transport.configGeneration(), "the same size changes nothing");
        assertEquals(0, c.rig.transport.takeInterrupts());
    }

    @Test
    void withoutSizeTheFieldsReadZeroAndResizeIsRefused() {
        ConsoleDevice device = new ConsoleDevice(100, 30, false, true);
        assertFalse(device.offeredFeatures().has(Feature.CONSOLE_SIZE));
        Console c = new Console(device, false, Rings.plain(false));
        c.rig.transport.takeInterrupts();
        assertEquals(0, c.config(0, 4));
        assertFalse(c.host.resize(90, 20));
        assertEquals(0, c.config(0, 4));
        assertEquals(0, c.rig.transport.configGeneration());
        assertEquals(0, c.rig.transport.takeInterrupts());
    }

    @Test
    void sizesOutsideSixteenBitsAreRejected() {
        ConsoleHost host = new ConsoleDevice().farSide(ConsoleHost.class).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> host.resize(65536, 1));
        assertThrows(IllegalArgumentException.class, () -> host.resize(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ConsoleDevice(70000, 1, false, false));
    }

    @Test
    void resizeBeforeDriverOkBumpsTheGenerationWithoutAnInterrupt() {
        DriverRig rig = DriverRig.mmio(new ConsoleDevice());
        ConsoleHost host = rig.device.farSide(ConsoleHost.class).orElseThrow();
        assertTrue(host.resize(10, 10));
        assertEquals(1, rig.transport.configGeneration());
        assertEquals(0, rig.transport.takeInterrupts(), "no notification before DRIVER_OK");
        assertEquals(10, rig.transport.readConfig(0, 2));
    }

    @ParameterizedTest(name = "pci={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void emergencyWritesReachTheHostEvenOnAnUnconfiguredDevice(boolean pci) {
        ConsoleDevice device = new ConsoleDevice();
        DriverRig rig = pci ? DriverRig.pci(device) : DriverRig.mmio(device);
        ConsoleHost host = device.farSide(ConsoleHost.class).orElseThrow();
        rig.writeConfig(ConsoleDevice.CONFIG_EMERG_WR, 4, 0x1234_5621L);       // status 0: nothing negotiated
        assertArrayEquals(new byte[] {0x21}, host.drainFromDriver(), "only the low byte goes out");

        // Nor does it need the feature acknowledged: this driver takes no console feature.
        Console c = new Console(rig, Rings.plain(false), FeatureSet.NONE);
        c.transmit(false, bytes("ab"));
        c.rig.writeConfig(ConsoleDevice.CONFIG_EMERG_WR, 4, '!');
        c.transmit(false, bytes("cd"));
        assertArrayEquals(bytes("ab!cd"), host.drainFromDriver(), "emergency bytes join the output in order");
        assertEquals(0, c.config(8, 4));
    }

    @Test
    void otherConfigWritesAndEmergencyWritesWithoutTheFeatureChangeNothing() {
        ConsoleDevice device = new ConsoleDevice(80, 25, true, false);
        DriverRig rig = DriverRig.mmio(device);
        ConsoleHost host = device.farSide(ConsoleHost.class).orElseThrow();
        byte[] before = device.config();
        rig.writeConfig(ConsoleDevice.CONFIG_EMERG_WR, 4, 'x');
        rig.writeConfig(0, 2, 7);
        rig.writeConfig(4, 4, 9);
        rig.writeConfig(10, 2, 'y');
        rig.writeConfig(12, 4, 'z');       // past the end of the config
        assertArrayEquals(before, device.config());
        assertArrayEquals(new byte[0], host.drainFromDriver());
        assertEquals(0, rig.transport.configGeneration());
    }

    @Test
    void aSenderThreadAndTheDriverThreadShareTheDeviceSafely() throws InterruptedException {
        Console c = new Console(new ConsoleDevice(), false, Rings.all(false));
        byte[] data = pattern(200_000, 17);
        Thread sender = new Thread(() -> {
            for (int at = 0; at < data.length; at += 997) {
                c.host.sendToDriver(java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + 997)));
            }
        });
        sender.start();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int outstanding = 0;
        while (got.size() < data.length) {
            while (outstanding < 8) {
                c.rig.post(c.rx, 512);
                outstanding++;
            }
            Completion done = c.rx.await(c.rig.driver.deadline());
            outstanding--;
            got.writeBytes(c.rig.written(done));
        }
        sender.join();
        assertArrayEquals(data, got.toByteArray());
        c.assertClean();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
