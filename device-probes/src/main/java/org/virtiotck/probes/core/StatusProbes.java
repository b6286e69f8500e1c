package org.virtiotck.probes.core;

import static org.virtiotck.driver.transport.DeviceStatus.*;

import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;
import java.util.List;

/** The device status field and what the device may do before DRIVER_OK (VIRTIO 1.2 §2.1, §2.5, §3.1). */
class StatusProbes {

    @Probe
    @Clause(section = "2.1", label = "device status reads back each bit the driver set during initialization",
            level = Level.MUST)
    void statusReadsBackInitializationSteps(Session session) {
        VirtioDriver driver = session.driver();
        Transport t = session.transport();
        driver.reset();
        int[] steps = {ACKNOWLEDGE, ACKNOWLEDGE | DRIVER};
        for (int step : steps) {
            t.setStatus(step);
            Check.equal("status after writing " + describe(step), describe(step), describe(t.status()));
        }
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        driver.setupQueue(0, Devices.QUEUE_SIZE);
        driver.driverOk();
        int all = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK;
        Check.equal("status after DRIVER_OK", describe(all), describe(t.status()));
    }

    @Probe
    @ForDevice(DeviceType.BLK)
    @Clause(section = "2.1.2", label = "device consumes no buffer before DRIVER_OK", level = Level.MUST)
    void consumesNothingBeforeDriverOk(Session session) {
        VirtioDriver driver = session.driver();
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        Virtqueue q = driver.setupQueue(0, Devices.QUEUE_SIZE);
        Buffer header = driver.allocator().readable(BlkRequest.header(BlkRequest.T_IN, 0));
        Buffer data = driver.allocator().writable(BlkRequest.SECTOR_SIZE);
        Buffer status = driver.allocator().writable(1);
        q.add(List.of(header), List.of(data, status));
        session.transport().notifyQueue(0);
        // A device in another process or thread serves a notification a moment later: look only after that.
        Interrupts.settle();
        Check.that(q.poll().isEmpty(), "used ring after a notify before DRIVER_OK", "no completion", "a completion");
        Check.equal("status byte before DRIVER_OK", hex(Allocator.POISON), hex(session.memory().u8(status.address())));
        driver.driverOk();
        session.transport().notifyQueue(0);
        q.await(driver.deadline());
        Check.equal("request status once DRIVER_OK is set", hex(BlkRequest.S_OK), hex(session.memory().u8(status.address())));
    }

    private static String hex(int b) {
        return String.format("0x%02x", b & 0xff);
    }

    @Probe
    @ForDevice(DeviceType.BLK)
    @Clause(section = "2.5.2", label = "device-specific configuration is readable before FEATURES_OK", level = Level.MUST)
    void configReadableBeforeFeaturesOk(Session session) {
        VirtioDriver driver = session.driver();
        driver.reset();
        session.transport().setStatus(ACKNOWLEDGE | DRIVER);
        long before = session.transport().readConfig(BlkClient.CONFIG_CAPACITY, 4)
                | session.transport().readConfig(BlkClient.CONFIG_CAPACITY + 4, 4) << 32;
        BlkClient blk = Devices.startBlk(session);
        Check.equal("capacity read before FEATURES_OK (sectors)", blk.capacitySectors(), before);
    }

    private static String describe(int status) {
        return DeviceStatus.describe(status);
    }
}
