package org.virtiotck.probes.console;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.console.ConsoleQueues;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The console's queues and size (VIRTIO 1.2 §5.3.2, §5.3.4, §5.3.6): port 0's two queues and no others without
 * MULTIPORT, with it the control queues and every port's pair; with F_SIZE, cols and rows follow the console's size, and a resize is announced by a configuration
 * change notification. The size is changed from the host end.
 */
@ForDevice(DeviceType.CONSOLE)
class ConsoleConfigProbes {
    /** Two sizes no console starts with, so each resize is a real change. */
    private static final int[][] SIZES = {{133, 41}, {97, 62}};
    /** Ports whose queues are looked at under MULTIPORT: QEMU's default is 31, and each costs two register reads. */
    private static final long PORTS_CHECKED = 64;

    /** "COLSxROWS", read field by field under one configuration generation (§2.5.1). */
    private static String size(Transport t, Deadline deadline) {
        for (int attempt = 0; ; attempt++) {
            int before = t.configGeneration();
            long cols = t.readConfig(ConsolePort.CONFIG_COLS, 2);
            long rows = t.readConfig(ConsolePort.CONFIG_ROWS, 2);
            if (t.configGeneration() == before) {
                return cols + "x" + rows;
            }
            deadline.check("settle its configuration generation while reading cols and rows");
            Deadline.pause(attempt);
        }
    }

    /** Starts the console with F_SIZE negotiated, or ends in SKIP. */
    private static ConsolePort withSize(Session session) {
        ConsolePort port = ConsolePort.start(session);
        Assumptions.assumeTrue(port.driver().negotiated().has(Feature.CONSOLE_SIZE),
                "device or target without VIRTIO_CONSOLE_F_SIZE");
        return port;
    }

    /** Resizes from the host end, or ends in SKIP when this host end cannot. */
    private static void resize(ConsoleHost host, int[] size) {
        Assumptions.assumeTrue(host.resize(size[0], size[1]), "the target cannot resize this console from the host end");
    }

    @Probe
    @Clause(section = "5.3.2", label = "port 0 receiveq and transmitq exist, and without MULTIPORT no other queue does",
            level = Level.MUST)
    void onlyPortZeroQueuesWithoutMultiport(Session session) {
        Transport t = session.transport();
        session.driver().negotiate(ConsolePort.FEATURES);
        Assumptions.assumeFalse(t.deviceFeatures().has(Feature.CONSOLE_MULTIPORT),
                "the device offers MULTIPORT: whether its control queues exist when the driver refuses it is left open");
        String observed = "";
        for (int q = 0; q < 4; q++) {
            observed += (q > 0 ? ", " : "") + "queue " + q + ": " + Integer.toUnsignedString(t.queueMaxSize(q));
        }
        Check.that(t.queueMaxSize(0) != 0 && t.queueMaxSize(1) != 0 && t.queueMaxSize(2) == 0 && t.queueMaxSize(3) == 0,
                "maximum queue sizes without MULTIPORT", "non-zero for queues 0 and 1 (port 0), 0 for the control queues 2 and 3",
                observed);
    }

    @Probe
    @Clause(section = "5.3.2", label = "with MULTIPORT, the control queues and a queue pair for every port below max_nr_ports exist",
            level = Level.MUST)
    void multiportQueuesExist(Session session) {
        Transport t = session.transport();
        long maxPorts = MultiportConsole.negotiate(session);
        long ports = Math.min(maxPorts, PORTS_CHECKED);
        int queues = Math.max(ConsoleQueues.CONTROL_TRANSMITQ + 1, ConsoleQueues.count((int) ports));
        List<Integer> missing = new ArrayList<>();
        for (int q = 0; q < queues; q++) {
            if (t.queueMaxSize(q) == 0) {
                missing.add(q);
            }
        }
        Check.that(missing.isEmpty(), "maximum queue sizes with MULTIPORT negotiated and max_nr_ports " + maxPorts,
                "non-zero for queues 0 to " + (queues - 1) + " (port 0, the control queues, and ports 1 to " + (ports - 1)
                        + (ports < maxPorts ? ", the first " + PORTS_CHECKED + " ports being checked" : "") + ")",
                "0 for queue(s) " + missing);
    }

    @Probe
    @Clause(section = "5.3.4", label = "with F_SIZE, cols and rows give the console's current size", level = Level.MUST)
    void sizeFieldsFollowTheConsole(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = withSize(session);
        for (int[] s : SIZES) {
            resize(host, s);
            Check.equal("cols x rows after the host resized the console to " + s[0] + "x" + s[1], s[0] + "x" + s[1],
                    size(session.transport(), port.driver().deadline()));
        }
    }

    @Probe
    @Clause(section = "5.3.6", label = "with F_SIZE negotiated, a console size change comes with a configuration change notification",
            level = Level.MUST)
    void resizeIsAnnounced(Session session) {
        ConsoleHost host = ConsolePort.host(session);
        ConsolePort port = withSize(session);
        Transport t = session.transport();
        for (int[] s : SIZES) {
            t.takeInterrupts();
            resize(host, s);
            Check.that(Interrupts.await(t, port.driver().deadline(), Interrupts.CONFIG_CHANGE),
                    "interrupt causes after the host resized the console to " + s[0] + "x" + s[1],
                    "a configuration change notification", "none within the deadline");
        }
    }
}
