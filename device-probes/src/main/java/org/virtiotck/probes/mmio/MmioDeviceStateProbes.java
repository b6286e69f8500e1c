package org.virtiotck.probes.mmio;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioTransport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.NeedsReset;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * virtio-mmio device requirements beyond the register values (VIRTIO 1.2 §4.2.2.1): the configuration change bit of
 * InterruptStatus, ConfigGeneration, and queues the driver stopped with QueueReady. Every device type.
 */
class MmioDeviceStateProbes {
    /** Bytes of configuration space compared between reads; past a device's config the reads must be stable too. */
    private static final int CONFIG_BYTES = 64;

    private static MmioTransport mmio(Session session) {
        Transport t = session.transport();
        Assumptions.assumeTrue(t instanceof MmioTransport, "transport is not virtio-mmio");
        return (MmioTransport) t;
    }

    private static String hex(long v) {
        return String.format("0x%x", v);
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "InterruptStatus shows a configuration change notification until acknowledged",
            level = Level.MUST)
    void configChangeBitUntilAcknowledged(Session session) {
        MmioTransport t = mmio(session);
        Workload w = Workload.start(session);
        Workload.Request r = w.request();
        w.driver().submit(w.queue(), r.readable(), r.writable());
        t.takeInterrupts();
        NeedsReset.provoke(w);   // a configuration change the device must announce (§2.1.2)
        long first = t.register(INTERRUPT_STATUS);
        Check.that((first & INT_CONFIG_CHANGE) != 0, "InterruptStatus once DEVICE_NEEDS_RESET is set after DRIVER_OK",
                "bit 1 (configuration change) set", hex(first));
        long again = t.register(INTERRUPT_STATUS);
        Check.that((again & INT_CONFIG_CHANGE) != 0, "InterruptStatus read again before acknowledging",
                "bit 1 still set", hex(again));
        t.takeInterrupts();
        long after = t.register(INTERRUPT_STATUS);
        Check.that((after & INT_CONFIG_CHANGE) == 0, "InterruptStatus after InterruptACK of the bits read",
                "bit 1 clear", hex(after));
    }

    private record Snapshot(long generationBefore, byte[] config, long generationAfter) {
        static Snapshot take(MmioTransport t) {
            long before = t.configGeneration();
            byte[] b = new byte[CONFIG_BYTES];
            for (int off = 0; off < CONFIG_BYTES; off += 4) {
                long v = t.readConfig(off, 4);
                for (int i = 0; i < 4; i++) {
                    b[off + i] = (byte) (v >>> 8 * i);
                }
            }
            return new Snapshot(before, b, t.configGeneration());
        }
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "ConfigGeneration changes whenever the driver could see an inconsistent configuration",
            level = Level.MUST)
    void configurationStableWithinAGeneration(Session session) {
        MmioTransport t = mmio(session);
        Workload.start(session);
        for (int i = 0; i < 4; i++) {
            Snapshot a = Snapshot.take(t);
            Snapshot b = Snapshot.take(t);
            long g = a.generationBefore();
            if (a.generationAfter() != g || b.generationBefore() != g || b.generationAfter() != g) {
                continue;    // the device announced a change: different contents are allowed
            }
            int at = Arrays.mismatch(a.config(), b.config());
            Check.that(at < 0, "configuration space read twice under ConfigGeneration " + hex(g),
                    "the same bytes, or a new ConfigGeneration", at < 0 ? "" : String.format(
                            "byte %d read 0x%02x then 0x%02x", at, a.config()[at] & 0xff, b.config()[at] & 0xff));
        }
    }

    @Probe
    @Clause(section = "4.2.2.1", label = "device does not access a queue while its QueueReady is 0", level = Level.MUST)
    void stoppedQueueIsLeftAlone(Session session) {
        MmioTransport t = mmio(session);
        Workload w = Workload.start(session);
        Workload.Request first = w.request();
        w.driver().submit(w.queue(), first.readable(), first.writable());
        int q = w.queue().index();
        t.setQueueReady(q, false);
        Check.that(!t.queueReady(q), "QueueReady of queue " + q + " after the driver wrote 0 to stop it", "0", "1");
        Workload.Request r = w.request();
        w.queue().add(r.readable(), r.writable());
        t.notifyQueue(q);
        Interrupts.settle();
        Check.that(w.queue().poll().isEmpty(), "ring of stopped queue " + q + " after a buffer was made available and notified",
                "no used buffer", "a used buffer");
        Check.that(r.writableUntouched(session.memory()), "device-writable bytes of that buffer", "all unwritten",
                "some written");
    }
}
