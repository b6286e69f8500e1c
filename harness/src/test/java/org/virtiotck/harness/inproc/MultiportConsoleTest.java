package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.console.ControlMessage.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.console.ConsoleControl;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.ConsoleHost;

/** The reference console with VIRTIO_CONSOLE_F_MULTIPORT: the control protocol, hot-plug and per-port data. */
class MultiportConsoleTest {
    private static final FeatureSet MULTIPORT = FeatureSet.of(Feature.CONSOLE_MULTIPORT);

    /** A rig started with MULTIPORT (or without), every queue set up, and the control queues' client. */
    private static final class Rig {
        final DriverRig rig;
        final ConsoleHost host;
        final ConsoleControl control;

        Rig(boolean pci, FeatureSet features) {
            ConsoleDevice device = ConsoleDevice.multiport();
            rig = (pci ? DriverRig.pci(device) : DriverRig.mmio(device)).start(Rings.plain(false), features, 16);
            host = device.farSide(ConsoleHost.class).orElseThrow();
            control = new ConsoleControl(rig.driver);
            control.post();
        }

        /** Every control message the device has used a buffer for so far. */
        List<ControlMessage> messages() {
            List<ControlMessage> got = new ArrayList<>();
            for (Optional<byte[]> m = control.poll(); m.isPresent(); m = control.poll()) {
                got.add(ControlMessage.decode(m.get()).orElseThrow());
            }
            return got;
        }

        byte[] receive(long port, int bytes) {
            Virtqueue rx = rig.queue(ConsoleQueues.receiveq(port));
            rig.post(rx, bytes);
            return rig.written(rx.await(rig.driver.deadline()));
        }

        Completion transmit(long port, byte[] data) {
            return rig.driver.submit(rig.queue(ConsoleQueues.transmitq(port)), List.of(rig.alloc.readable(data)), List.of());
        }
    }

    private static ControlMessage name(int port) {
        return new ControlMessage(port, PORT_NAME, 0, ("org.virtiotck.port." + port).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void offersMultiportWithTheControlQueuesAndAPairPerPort() {
        ConsoleDevice device = ConsoleDevice.multiport();
        assertTrue(device.offeredFeatures().has(Feature.CONSOLE_MULTIPORT));
        assertEquals(10, device.queueCount(), "port 0, control, ports 1 to 3");
        DriverRig rig = DriverRig.mmio(device);
        assertEquals(ConsoleDevice.MULTIPORT_PORTS, rig.transport.readConfig(4, 4), "max_nr_ports");
        assertTrue(rig.transport.queueMaxSize(9) > 0);
        assertEquals(0, rig.transport.queueMaxSize(10));
        assertTrue(InprocDevices.byName("console-multiport").orElseThrow().reference());
    }

    @Test
    void deviceReadyAnnouncesThePluggedPortsAndPortReadyConfiguresThem() {
        for (boolean pci : new boolean[] {false, true}) {
            Rig r = new Rig(pci, MULTIPORT);
            assertEquals(List.of(), r.messages(), "nothing before DEVICE_READY");
            r.control.send(new ControlMessage(0, DEVICE_READY, 1));
            assertEquals(List.of(new ControlMessage(0, DEVICE_ADD, 0), new ControlMessage(1, DEVICE_ADD, 0)), r.messages());
            r.control.send(new ControlMessage(0, PORT_READY, 1));
            r.control.send(new ControlMessage(1, PORT_READY, 1));
            assertEquals(List.of(new ControlMessage(0, CONSOLE_PORT, 1), new ControlMessage(0, PORT_OPEN, 1), name(1),
                    new ControlMessage(1, PORT_OPEN, 1)), r.messages());
            r.control.send(new ControlMessage(0, DEVICE_READY, 1));
            assertEquals(List.of(), r.messages(), "a repeated DEVICE_READY adds no port twice");
            assertEquals(List.of(), r.rig.driver.findings());
        }
    }

    @Test
    void hostPlugsAndUnplugsPortsWithinMaxNrPorts() {
        Rig r = new Rig(false, MULTIPORT);
        assertTrue(r.host.addPort(2), "plugged before DEVICE_READY: announced with the others");
        r.control.send(new ControlMessage(0, DEVICE_READY, 1));
        assertEquals(List.of(0L, 1L, 2L), r.messages().stream().map(ControlMessage::id).toList());
        assertFalse(r.host.addPort(2), "already plugged");
        assertFalse(r.host.addPort(ConsoleDevice.MULTIPORT_PORTS), "at max_nr_ports");
        assertFalse(r.host.removePort(0), "port 0 stays");
        assertFalse(r.host.removePort(3), "never plugged");
        assertTrue(r.host.removePort(1));
        assertTrue(r.host.port(1).isEmpty());
        assertTrue(r.host.addPort(3));
        assertTrue(r.host.addPort(1));
        assertEquals(List.of(new ControlMessage(1, DEVICE_REMOVE, 0), new ControlMessage(3, DEVICE_ADD, 0),
                new ControlMessage(1, DEVICE_ADD, 0)), r.messages());
    }

    @Test
    void eachPortCarriesItsOwnDataOnceAnnounced() {
        Rig r = new Rig(true, MULTIPORT);
        ConsoleHost port1 = r.host.port(1).orElseThrow();
        port1.sendToDriver("one".getBytes(StandardCharsets.US_ASCII));
        r.host.sendToDriver("zero".getBytes(StandardCharsets.US_ASCII));
        Virtqueue rx1 = r.rig.queue(ConsoleQueues.receiveq(1));
        r.rig.post(rx1, 16);
        assertTrue(rx1.poll().isEmpty(), "port 1 carries nothing before the driver knows it");
        assertEquals("zero", new String(r.receive(0, 16), StandardCharsets.US_ASCII));
        r.control.send(new ControlMessage(0, DEVICE_READY, 1));
        assertEquals("one", new String(r.rig.written(rx1.await(r.rig.driver.deadline())), StandardCharsets.US_ASCII));
        assertEquals(0, r.transmit(1, new byte[] {1, 2, 3}).usedLen());
        r.transmit(0, new byte[] {9});
        assertArrayEquals(new byte[] {1, 2, 3}, port1.drainFromDriver());
        assertArrayEquals(new byte[] {9}, r.host.drainFromDriver());
        assertTrue(r.host.removePort(1));
        assertEquals(0, r.transmit(1, new byte[] {4}).usedLen(), "a removed port's transmit buffers still come back");
        assertArrayEquals(new byte[0], port1.drainFromDriver());
    }

    @Test
    void withoutMultiportNegotiatedTheControlQueuesStaySilent() {
        Rig r = new Rig(false, FeatureSet.NONE);
        r.control.send(new ControlMessage(0, DEVICE_READY, 1));
        assertEquals(List.of(), r.messages());
        assertTrue(r.host.addPort(2));
        assertEquals(List.of(), r.messages());
        r.host.sendToDriver(new byte[] {7});
        assertArrayEquals(new byte[] {7}, r.receive(0, 4), "port 0 as without MULTIPORT");
    }

    @Test
    void resetForgetsWhatTheDriverWasToldButNotThePluggedPorts() {
        Rig r = new Rig(false, MULTIPORT);
        r.control.send(new ControlMessage(0, DEVICE_READY, 1));
        r.messages();
        r.rig.start(Rings.plain(false), MULTIPORT, 16);
        ConsoleControl again = new ConsoleControl(r.rig.driver);
        again.post();
        again.send(new ControlMessage(0, DEVICE_READY, 1));
        List<Long> added = new ArrayList<>();
        for (Optional<byte[]> m = again.poll(); m.isPresent(); m = again.poll()) {
            added.add(ControlMessage.decode(m.get()).orElseThrow().id());
        }
        assertEquals(List.of(0L, 1L), added, "both ports announced afresh after the reset");
    }
}
