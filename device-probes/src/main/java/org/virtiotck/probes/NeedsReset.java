package org.virtiotck.probes;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;

/**
 * Puts a live device in the error state (§2.1.2 DEVICE_NEEDS_RESET) with a ring no device can use: an avail ring
 * entry naming a head beyond the queue size (§2.7.6). Whether that is an error the device flags is its choice, so
 * a device that does not flag it makes the probe SKIP. Split rings only: the packed ring has no such index.
 */
public final class NeedsReset {
    private NeedsReset() {
    }

    /**
     * Makes the bad head available on the workload's queue and waits for DEVICE_NEEDS_RESET (SKIP if it never
     * comes). The avail idx is put back afterwards, so the driver's shadow of its own ring still matches.
     */
    public static void provoke(Workload w) {
        Assumptions.assumeTrue(w.queue() instanceof SplitVirtqueue,
                "the error this probe provokes is a split ring's avail entry; this variant uses a packed ring");
        RawSplitRing raw = ((SplitVirtqueue) w.queue()).raw();
        Transport t = w.driver().transport();
        int idx = raw.availIdx();
        raw.availEntry(idx, raw.size() + 5);
        raw.publishAvailIdx(idx + 1);
        t.notifyQueue(w.queue().index());
        Deadline d = w.driver().deadline();
        boolean needsReset = false;
        try {
            for (int attempt = 0; !needsReset && !d.expired(); attempt++) {
                Deadline.pause(attempt);
                needsReset = (t.status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0;
            }
        } catch (DeviceLostException e) {
            // A vhost-user back-end may refuse the ring by dropping the connection: no error state to look at.
            Assumptions.abort("device went away instead of setting DEVICE_NEEDS_RESET on an avail entry naming head "
                    + (raw.size() + 5) + ": " + e.getMessage());
        }
        raw.publishAvailIdx(idx);
        Assumptions.assumeTrue(needsReset, "device did not set DEVICE_NEEDS_RESET within " + d.budget().toMillis()
                + " ms of an avail entry naming head " + (raw.size() + 5) + " on a queue of " + raw.size()
                + " (status " + DeviceStatus.describe(t.status()) + "): no error state to look at");
    }
}
