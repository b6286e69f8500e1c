package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.console.ControlMessage.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * The ports of a console and, once the driver negotiated VIRTIO_CONSOLE_F_MULTIPORT, the control protocol that
 * announces them (VIRTIO 1.2 §5.3.6.2). Which ports are plugged is the host's business and survives a reset;
 * which ports the driver was told about is the device's, and a reset forgets it.
 *
 * <p>Port 0 is always plugged (it is the console without MULTIPORT); at start port 1 is too, and the host end can
 * plug and unplug ports 1 to max_nr_ports-1. After the driver's DEVICE_READY with value 1 every plugged port is
 * announced with DEVICE_ADD, lowest first, and later plugs at once; an unplug of an announced port sends
 * DEVICE_REMOVE. So a DEVICE_ADD never names an announced port nor one at or above max_nr_ports, and a
 * DEVICE_REMOVE only an announced one (§5.3.6.2.1), also when the driver repeats DEVICE_READY. On the driver's
 * PORT_READY with value 1 the device nominates port 0 as the console port (CONSOLE_PORT), names the other ports
 * (PORT_NAME "org.virtiotck.port.N") and opens each (PORT_OPEN 1): every plugged port is open on the host.
 *
 * <p>A port's receiveq is filled only while the driver knows the port (port 0 always), and what the driver
 * transmits on a port it does not know is dropped. Queues are serviced outside this object's lock, so a host
 * thread never holds it while waiting for the transport's.
 */
final class MultiportControl {
    private static final String NAME_PREFIX = "org.virtiotck.port.";

    private final HostLink host;
    private final ConsolePortEnd[] ports;
    private final boolean[] plugged;
    private final ControlOutbox outbox = new ControlOutbox();
    private boolean multiport;
    private boolean driverReady;
    private final boolean[] announced;

    /** @param maxPorts max_nr_ports; 1 for a console without MULTIPORT, whose only port is 0 */
    MultiportControl(HostLink host, int maxPorts) {
        this.host = host;
        this.ports = new ConsolePortEnd[maxPorts];
        for (int p = 0; p < maxPorts; p++) {
            ports[p] = new ConsolePortEnd(host, p);
        }
        this.plugged = new boolean[maxPorts];
        this.announced = new boolean[maxPorts];
        plugged[0] = true;
        if (maxPorts > 1) {
            plugged[1] = true;
        }
    }

    int maxPorts() {
        return ports.length;
    }

    ConsolePortEnd port(int id) {
        return ports[id];
    }

    /** The host end of a plugged port. */
    synchronized Optional<ConsoleHost> hostPort(long id) {
        return id >= 0 && id < ports.length && plugged[(int) id] ? Optional.of(ports[(int) id]) : Optional.empty();
    }

    ByteSupply outbox() {
        return outbox;
    }

    synchronized void featuresNegotiated(boolean multiportNegotiated) {
        multiport = multiportNegotiated;
    }

    /** Device state goes; the host's plugged ports and their bytes stay. */
    synchronized void reset() {
        multiport = false;
        driverReady = false;
        java.util.Arrays.fill(announced, false);
        outbox.clear();
    }

    /** Whether a port's queues carry data: port 0 always, another once the driver was told of it. */
    synchronized boolean carries(int port) {
        return port == 0 || multiport && announced[port];
    }

    /** One buffer from the control transmitq. Messages too short for the header, or unknown, are ignored. */
    void fromDriver(byte[] bytes) {
        List<Integer> service = new ArrayList<>();
        synchronized (this) {
            Optional<ControlMessage> m = ControlMessage.decode(bytes);
            if (!multiport || m.isEmpty()) {
                return;
            }
            ControlMessage msg = m.get();
            if (msg.event() == DEVICE_READY && msg.value() == 1) {
                driverReady = true;
                for (int p = 0; p < ports.length; p++) {
                    if (plugged[p]) {
                        announce(p, service);
                    }
                }
            } else if (msg.event() == PORT_READY && msg.value() == 1 && msg.id() < ports.length && announced[(int) msg.id()]) {
                int p = (int) msg.id();
                if (p == 0) {
                    outbox.add(new ControlMessage(0, CONSOLE_PORT, 1).encode());
                } else {
                    outbox.add(new ControlMessage(p, PORT_NAME, 0, (NAME_PREFIX + p).getBytes(StandardCharsets.UTF_8)).encode());
                }
                outbox.add(new ControlMessage(p, PORT_OPEN, 1).encode());
                service.add(ConsoleQueues.CONTROL_RECEIVEQ);
            }
            // PORT_OPEN from the driver and failures (value 0) change nothing the device does.
        }
        service.forEach(host::serviceQueue);
    }

    /** The host plugs a port; false when it is plugged already or out of range. */
    boolean plug(long id) {
        List<Integer> service = new ArrayList<>();
        synchronized (this) {
            if (id < 0 || id >= ports.length || plugged[(int) id]) {
                return false;
            }
            plugged[(int) id] = true;
            if (driverReady) {
                announce((int) id, service);
            }
        }
        service.forEach(host::serviceQueue);
        return true;
    }

    /** The host unplugs a port other than 0; false when it is not plugged. */
    boolean unplug(long id) {
        synchronized (this) {
            if (id <= 0 || id >= ports.length || !plugged[(int) id]) {
                return false;
            }
            int p = (int) id;
            plugged[p] = false;
            ports[p].dropPending();
            if (!announced[p]) {
                return true;
            }
            announced[p] = false;
            outbox.add(new ControlMessage(p, DEVICE_REMOVE, 0).encode());
        }
        host.serviceQueue(ConsoleQueues.CONTROL_RECEIVEQ);
        return true;
    }

    /** DEVICE_ADD for a port the driver does not know yet; its receiveq can then take the bytes waiting. */
    private void announce(int p, List<Integer> service) {
        if (announced[p]) {
            return;
        }
        announced[p] = true;
        outbox.add(new ControlMessage(p, DEVICE_ADD, 0).encode());
        service.add(ConsoleQueues.CONTROL_RECEIVEQ);
        service.add(ConsoleQueues.receiveq(p));
    }
}
