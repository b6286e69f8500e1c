package org.virtiotck.probes.console;

import static org.virtiotck.driver.console.ControlMessage.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.console.ConsoleControl;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Interrupts;

/**
 * A console started with VIRTIO_CONSOLE_F_MULTIPORT (VIRTIO 1.2 §5.3.6.2), driven as a well-behaved driver does
 * it: queues for port 0, the control queues and the first ports set up before DRIVER_OK, DEVICE_READY sent, each
 * DEVICE_ADD answered with PORT_READY (value 1 when the port's queues are set up, 0 otherwise) and each
 * CONSOLE_PORT with PORT_OPEN 1. Every control message the device sends is logged in order, for the probes to
 * judge. The device may send any number of messages, so the log is taken until it stays quiet for
 * {@link Interrupts#SETTLE_MILLIS}.
 */
final class MultiportConsole {
    static final FeatureSet FEATURES = ConsolePort.FEATURES.with(Feature.CONSOLE_MULTIPORT);
    /** struct virtio_console_config (§5.3.4): le32 max_nr_ports. */
    static final int CONFIG_MAX_NR_PORTS = 4;
    /** Ports whose queues the driver sets up, port 0 included: enough to use a few, few enough to stay cheap. */
    static final int PORTS_SET_UP = 8;
    private static final int PORT_QUEUE_SIZE = 16;
    /** A device that keeps talking is cut off here: the probes judge what came so far. */
    private static final int MAX_MESSAGES = 256;

    private final VirtioDriver driver;
    private final ConsoleControl control;
    private final long maxPorts;
    private final Set<Long> portsSetUp;
    private final List<ControlMessage> log = new ArrayList<>();

    /** Over a driver at DRIVER_OK that set up the control queues and the queues of {@code portsSetUp}. */
    private MultiportConsole(VirtioDriver driver, long maxPorts, Set<Long> portsSetUp) {
        this.driver = driver;
        this.maxPorts = maxPorts;
        this.portsSetUp = portsSetUp;
        this.control = new ConsoleControl(driver);
    }

    /**
     * Starts the session's console with MULTIPORT, sends DEVICE_READY and takes the messages that follow; ends
     * in SKIP when the device does not offer MULTIPORT.
     */
    static MultiportConsole start(Session session) {
        VirtioDriver driver = session.driver();
        Transport t = session.transport();
        long maxPorts = negotiate(session);
        for (int q = 0; q < 4; q++) {
            driver.setupQueue(q, Devices.QUEUE_SIZE);
        }
        Set<Long> portsSetUp = new LinkedHashSet<>(List.of(0L));
        for (long p = 1; p < Math.min(maxPorts, PORTS_SET_UP); p++) {
            // A queue the device leaves out (maximum size 0) is the device's business here; the port stays unused.
            if (t.queueMaxSize(ConsoleQueues.receiveq(p)) != 0 && t.queueMaxSize(ConsoleQueues.transmitq(p)) != 0) {
                driver.setupQueue(ConsoleQueues.receiveq(p), PORT_QUEUE_SIZE);
                driver.setupQueue(ConsoleQueues.transmitq(p), PORT_QUEUE_SIZE);
                portsSetUp.add(p);
            }
        }
        driver.driverOk();
        MultiportConsole console = new MultiportConsole(driver, maxPorts, portsSetUp);
        console.control.post();
        console.control.send(new ControlMessage(0, DEVICE_READY, 1));
        console.settle();
        return console;
    }

    /** Negotiates MULTIPORT, or ends in SKIP when the device does not offer it; returns max_nr_ports. */
    static long negotiate(Session session) {
        session.driver().negotiate(FEATURES);
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.CONSOLE_MULTIPORT),
                "device or target without VIRTIO_CONSOLE_F_MULTIPORT");
        return Integer.toUnsignedLong((int) session.transport().readConfig(CONFIG_MAX_NR_PORTS, 4));
    }

    VirtioDriver driver() {
        return driver;
    }

    long maxPorts() {
        return maxPorts;
    }

    /** Every control message the device sent so far, in order. */
    List<ControlMessage> log() {
        return List.copyOf(log);
    }

    /** "DEVICE_ADD(port 0, value 0), DEVICE_ADD(port 1, value 0), …", or "none". */
    String describeLog() {
        return log.isEmpty() ? "none" : log.toString();
    }

    /** One message of the log, as {@link #replay} hands it to a probe. */
    @FunctionalInterface
    interface LogStep {
        /**
         * @param where    "control message 3 of [the whole log]", for failure messages
         * @param existing the ports that existed just before it: added, and not removed since
         */
        void judge(String where, ControlMessage message, Set<Long> existing);
    }

    /** Walks the log in order, handing each message with the ports that existed before it to {@code step}. */
    void replay(LogStep step) {
        Set<Long> ports = new LinkedHashSet<>();
        for (int i = 0; i < log.size(); i++) {
            ControlMessage m = log.get(i);
            step.judge("control message " + (i + 1) + " of " + describeLog(), m, Set.copyOf(ports));
            apply(ports, m);
        }
    }

    /** The ports that exist now by the log: added and not removed since. */
    Set<Long> existing() {
        Set<Long> ports = new LinkedHashSet<>();
        log.forEach(m -> apply(ports, m));
        return ports;
    }

    private static void apply(Set<Long> ports, ControlMessage m) {
        if (m.event() == DEVICE_ADD) {
            ports.add(m.id());
        } else if (m.event() == DEVICE_REMOVE) {
            ports.remove(m.id());
        }
    }

    /** A port other than 0 that exists and whose queues the driver set up, if there is one. */
    Optional<Long> usablePort() {
        return existing().stream().filter(p -> p != 0 && portsSetUp.contains(p)).findFirst();
    }

    /** Sends a control message on the control transmitq. */
    void send(ControlMessage message) {
        control.send(message);
    }

    /**
     * Takes control messages, answering them as a driver does, until none came for {@link Interrupts#SETTLE_MILLIS}
     * (or the driver's deadline passed, or {@value #MAX_MESSAGES} came).
     */
    void settle() {
        Deadline d = driver.deadline();
        long quietSince = System.nanoTime();
        for (int attempt = 0; log.size() < MAX_MESSAGES && !d.expired(); attempt++) {
            Optional<byte[]> used = control.poll();
            if (used.isEmpty()) {
                if (System.nanoTime() - quietSince >= Interrupts.SETTLE_MILLIS * 1_000_000) {
                    return;
                }
                Deadline.pause(attempt);
                continue;
            }
            // A buffer too short for the header is no message at all; nothing to log or answer.
            ControlMessage.decode(used.get()).ifPresent(this::answer);
            quietSince = System.nanoTime();
            attempt = 0;
        }
    }

    private void answer(ControlMessage m) {
        log.add(m);
        if (m.event() == DEVICE_ADD) {
            control.send(new ControlMessage(m.id(), PORT_READY, portsSetUp.contains(m.id()) ? 1 : 0));
        } else if (m.event() == CONSOLE_PORT) {
            // §5.3.6.2.2: the driver answers a console port with PORT_OPEN 1.
            control.send(new ControlMessage(m.id(), PORT_OPEN, 1));
        }
    }

    /**
     * Has the host end unplug an existing port other than 0 and plug it again, and plug one more, then takes the
     * messages that follow; steps the target cannot do are left out. The device's messages keep their order
     * whenever the driver reads them, so one settle after all the steps serves.
     */
    void hotplug(ConsoleHost host) {
        Set<Long> before = existing();
        Optional<Long> present = before.stream().filter(p -> p != 0).reduce((a, b) -> b);
        boolean acted = false;
        if (present.isPresent() && host.removePort(present.get())) {
            acted = true;
            host.addPort(present.get());
        }
        for (long p = 1; p < Math.min(maxPorts, PORTS_SET_UP); p++) {
            if (!before.contains(p) && host.addPort(p)) {
                acted = true;
                break;
            }
        }
        if (acted) {
            settle();
        }
    }
}
