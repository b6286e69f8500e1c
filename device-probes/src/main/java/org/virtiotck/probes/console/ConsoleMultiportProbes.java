package org.virtiotck.probes.console;

import static org.virtiotck.driver.console.ControlMessage.*;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.console.ConsolePort.Received;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * A console with VIRTIO_CONSOLE_F_MULTIPORT negotiated (VIRTIO 1.2 §5.3.6.2): the ports the device announces and
 * takes away on the control receiveq (§5.3.6.2.1), and data on a port's own queues (§5.3.6). The driver sends
 * DEVICE_READY and answers as a driver does; the probes judge whatever the device sends within the deadline. When
 * the host end can plug and unplug ports, a port is unplugged, plugged again and another plugged, so hot-plug
 * messages are judged too.
 */
@ForDevice(DeviceType.CONSOLE)
class ConsoleMultiportProbes {

    /** Starts with MULTIPORT and, when the target lets the host end plug ports, runs the hot-plug steps. */
    private static MultiportConsole exercised(Session session) {
        MultiportConsole console = MultiportConsole.start(session);
        session.farSide(ConsoleHost.class).ifPresent(console::hotplug);
        return console;
    }

    @Probe
    @Clause(section = "5.3.6.2.1", label = "DEVICE_ADD never names a port that already exists", level = Level.MUST)
    void deviceAddNamesANewPort(Session session) {
        exercised(session).replay((where, m, existing) -> {
            if (m.event() == DEVICE_ADD) {
                Check.that(!existing.contains(m.id()), where, "DEVICE_ADD only for a port not added yet, or removed since",
                        m + " while ports " + existing + " exist");
            }
        });
    }

    @Probe
    @Clause(section = "5.3.6.2.1", label = "DEVICE_ADD never names a port at or above max_nr_ports", level = Level.MUST)
    void deviceAddStaysBelowMaxNrPorts(Session session) {
        MultiportConsole console = exercised(session);
        console.replay((where, m, existing) -> {
            if (m.event() == DEVICE_ADD) {
                Check.that(m.id() < console.maxPorts(), where, "DEVICE_ADD for a port below max_nr_ports " + console.maxPorts(),
                        m.toString());
            }
        });
    }

    @Probe
    @Clause(section = "5.3.6.2.1", label = "DEVICE_REMOVE names only a port an earlier DEVICE_ADD created", level = Level.MUST)
    void deviceRemoveNamesAnAddedPort(Session session) {
        exercised(session).replay((where, m, existing) -> {
            if (m.event() == DEVICE_REMOVE) {
                Check.that(existing.contains(m.id()), where,
                        "DEVICE_REMOVE only for a port an earlier DEVICE_ADD created and no DEVICE_REMOVE took away",
                        m + " while ports " + existing + " exist");
            }
        });
    }

    /**
     * A started console with a port other than 0 that the driver opened, and the host end of that port; SKIP when
     * the device announces none and the host end cannot plug one, or the target gives no access to it.
     */
    private record PortPair(MultiportConsole console, long port, ConsoleHost host0, ConsoleHost hostN) {

        static PortPair open(Session session) {
            ConsoleHost host = ConsolePort.host(session);
            MultiportConsole console = MultiportConsole.start(session);
            if (console.usablePort().isEmpty()) {
                console.hotplug(host);
            }
            Optional<Long> port = console.usablePort();
            Assumptions.assumeTrue(port.isPresent(), "the device announced no port other than 0 (log: "
                    + console.describeLog() + ") and the host end could plug none");
            Optional<ConsoleHost> hostN = host.port(port.get());
            Assumptions.assumeTrue(hostN.isPresent(), "target " + session.target().canonical()
                    + " gives no access to the host end of port " + port.get());
            // Devices may hold a port's data back until the driver opened it.
            console.send(new ControlMessage(port.get(), PORT_OPEN, 1));
            return new PortPair(console, port.get(), host, hostN.get());
        }
    }

    @Probe
    @Clause(section = "5.3.6", label = "receiveq buffers the device uses hold the port's input, intact and in order",
            level = Level.MUST)
    void eachPortsInputOnItsOwnReceiveq(Session session) {
        PortPair pair = PortPair.open(session);
        ConsolePort port0 = ConsolePort.of(pair.console().driver(), 0);
        ConsolePort portN = ConsolePort.of(pair.console().driver(), pair.port());
        byte[] zero = Devices.pattern(150, 21);
        byte[] other = Devices.pattern(230, 22);
        pair.host0().sendToDriver(zero);
        pair.hostN().sendToDriver(other);
        port0.postBuffers();
        Deadline d = pair.console().driver().deadline();
        List<Received> gotN = portN.receiveWithin(other.length, d);
        List<Received> got0 = port0.receiveWithin(zero.length, d);
        Check.sameBytes("port " + pair.port() + "'s input in its receiveq (queue " + ConsoleQueues.receiveq(pair.port())
                + "), as " + gotN.size() + " used buffers carried it", other, ConsolePort.joined(gotN));
        Check.sameBytes("port 0's input in its receiveq (queue 0) with MULTIPORT negotiated, as " + got0.size()
                + " used buffers carried it", zero, ConsolePort.joined(got0));
    }

    @Probe
    @Clause(section = "5.3.6", label = "bytes in transmitq buffers reach the port's output intact and in order", level = Level.MUST)
    void eachPortsTransmitqReachesItsOutput(Session session) {
        PortPair pair = PortPair.open(session);
        ConsolePort port0 = ConsolePort.of(pair.console().driver(), 0);
        ConsolePort portN = ConsolePort.of(pair.console().driver(), pair.port());
        pair.host0().drainFromDriver();
        pair.hostN().drainFromDriver();
        byte[] zero = Devices.pattern(120, 23);
        byte[] other = Devices.pattern(270, 24);
        portN.transmit(List.of(other), portN.layouts());
        port0.transmit(List.of(zero), port0.layouts());
        Deadline d = pair.console().driver().deadline();
        Check.sameBytes("bytes at port " + pair.port() + "'s host end after a chain on its transmitq (queue "
                + ConsoleQueues.transmitq(pair.port()) + ")", other, pair.hostN().fromDriverWithin(other.length, d));
        Check.sameBytes("bytes at port 0's host end after a chain on its transmitq (queue 1) with MULTIPORT negotiated",
                zero, pair.host0().fromDriverWithin(zero.length, d));
    }
}
