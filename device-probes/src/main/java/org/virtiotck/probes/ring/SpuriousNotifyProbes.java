package org.virtiotck.probes.ring;

import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Available buffer notifications with nothing new behind them (VIRTIO 1.2 §2.7.10.2): a driver may notify
 * whenever it likes, before anything is available, twice for one buffer, or for a buffer already used. The
 * device must take them in its stride: no error state, and later requests still complete. Every device type.
 */
class SpuriousNotifyProbes {

    private static void noErrorState(Transport t, String after) {
        int status = t.status();
        Check.that((status & (DeviceStatus.DEVICE_NEEDS_RESET | DeviceStatus.FAILED)) == 0, "device status after " + after,
                "no DEVICE_NEEDS_RESET", DeviceStatus.describe(status));
    }

    @Probe
    @Clause(section = "2.7.10.2", label = "device copes with spurious available buffer notifications", level = Level.MUST)
    void spuriousNotificationsAreHarmless(Session session) {
        Workload w = Workload.start(session);
        Transport t = w.driver().transport();
        int q = w.queue().index();
        for (int i = 0; i < 3; i++) {
            t.notifyQueue(q);
        }
        Interrupts.settle();
        noErrorState(t, "three notifications with no buffer available");

        Workload.Request first = w.request();
        w.queue().add(first.readable(), first.writable());
        t.notifyQueue(q);
        t.notifyQueue(q);
        w.driver().await(w.queue());
        t.notifyQueue(q);
        Interrupts.settle();
        noErrorState(t, "a buffer notified twice, and once more after it was used");

        Workload.Request second = w.request();
        w.driver().submit(w.queue(), second.readable(), second.writable());
        noErrorState(t, "a request after the spurious notifications");
    }
}
