package org.virtiotck.probes.core;

import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.NeedsReset;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** The error state DEVICE_NEEDS_RESET (VIRTIO 1.2 §2.1.2), entered by a live device. Every device type. */
class NeedsResetProbes {

    @Probe
    @Clause(section = "2.1.2", label = "device that sets DEVICE_NEEDS_RESET after DRIVER_OK sends a configuration change notification",
            level = Level.MUST)
    void needsResetComesWithConfigChange(Session session) {
        Workload w = Workload.start(session);
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        Transport t = w.driver().transport();
        t.takeInterrupts();
        NeedsReset.provoke(w);
        Check.that(Interrupts.await(t, w.driver().deadline(), Interrupts.CONFIG_CHANGE),
                "interrupt causes once DEVICE_NEEDS_RESET is set after DRIVER_OK", "a configuration change notification",
                "none within the deadline");
    }
}
