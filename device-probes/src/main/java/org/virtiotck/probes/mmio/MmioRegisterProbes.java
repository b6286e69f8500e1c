package org.virtiotck.probes.mmio;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Devices;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/** The virtio-mmio register file (VIRTIO 1.2 §4.2.2). */
class MmioRegisterProbes {

    private static MmioTransport mmio(Session session) {
        Transport t = session.transport();
        Assumptions.assumeTrue(t instanceof MmioTransport, "transport is not virtio-mmio");
        return (MmioTransport) t;
    }

    private static String hex(long v) {
        return String.format("0x%x", v);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "MagicValue reads 0x74726976", level = Level.MUST)
    void magicValue(Session session) {
        Check.equal("MagicValue", hex(MAGIC), hex(mmio(session).register(MAGIC_VALUE)));
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "Version reads 2", level = Level.MUST)
    void versionIsTwo(Session session) {
        Check.equal("Version", hex(2), hex(mmio(session).register(VERSION)));
    }

    @Probe
    @Clause(section = "4.2.2", label = "QueueReady reads back 1 once the driver enabled the queue", level = Level.MUST)
    void queueReadyReadsBack(Session session) {
        MmioTransport t = mmio(session);
        VirtioDriver driver = session.driver();
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        Check.that(!t.queueReady(0), "QueueReady of queue 0 before setup", "0", "1");
        driver.setupQueue(0, Devices.QUEUE_SIZE);
        Check.that(t.queueReady(0), "QueueReady of queue 0 after writing 1", "1", "0");
    }

    @Probe
    @ForDevice(DeviceType.BLK)
    @Clause(section = "4.2.2", label = "QueueNumMax reads 0 for a queue the device does not have", level = Level.MUST)
    void queueNumMaxZeroForAbsentQueue(Session session) {
        MmioTransport t = mmio(session);
        Assumptions.assumeFalse(t.deviceFeatures().has(Feature.BLK_MQ), "device offers BLK_MQ: queue 1 may exist");
        Check.that(t.queueMaxSize(0) > 0, "QueueNumMax of request queue 0", "a size above 0", "0");
        Check.equal("QueueNumMax of queue 1 on a blk device without BLK_MQ", 0, t.queueMaxSize(1));
    }

    @Probe
    @ForDevice(DeviceType.BLK)
    @Clause(section = "4.2.2.1", label = "InterruptStatus shows a used buffer notification until acknowledged, and no other bit",
            level = Level.MUST)
    void interruptStatusShowsUsedBuffer(Session session) {
        MmioTransport t = mmio(session);
        var blk = Devices.startBlk(session);
        Check.equal("InterruptStatus before any request", hex(0), hex(t.register(INTERRUPT_STATUS)));
        blk.read(0, 512);
        Check.equal("InterruptStatus after a completed request", hex(INT_USED_BUFFER), hex(t.register(INTERRUPT_STATUS)));
        Check.equal("InterruptStatus read again before acknowledging", hex(INT_USED_BUFFER), hex(t.register(INTERRUPT_STATUS)));
        t.takeInterrupts();
        Check.equal("InterruptStatus after InterruptACK", hex(0), hex(t.register(INTERRUPT_STATUS)));
    }

    @Probe
    @ForDevice(DeviceType.BLK)
    @Clause(section = "4.2.2.1", label = "reset clears InterruptStatus and QueueReady", level = Level.MUST)
    void resetClearsInterruptsAndQueueReady(Session session) {
        MmioTransport t = mmio(session);
        Devices.startBlk(session).read(0, 512);
        session.driver().reset();
        Check.equal("InterruptStatus after reset", hex(0), hex(t.register(INTERRUPT_STATUS)));
        Check.that(!t.queueReady(0), "QueueReady of queue 0 after reset", "0", "1");
    }
}
