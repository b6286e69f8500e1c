package org.virtiotck.probes.core;

import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** Device reset (VIRTIO 1.2 §2.4). */
class ResetProbes {

    @Probe
    @Clause(section = "2.4.1", label = "device status reads 0 after the driver resets a live device", level = Level.MUST)
    void statusReadsZeroAfterReset(Session session) {
        VirtioDriver driver = session.driver();
        driver.start(Devices.DRIVER_SUPPORTS, 1, Devices.QUEUE_SIZE);
        Transport t = session.transport();
        t.setStatus(0);
        Deadline deadline = driver.deadline();
        int status = t.status();
        for (int attempt = 0; status != 0 && !deadline.expired(); attempt++) {
            Deadline.pause(attempt);
            status = t.status();
        }
        Check.equal("device status within " + deadline.budget().toMillis() + " ms of writing 0",
                DeviceStatus.describe(0), DeviceStatus.describe(status));
    }
}
