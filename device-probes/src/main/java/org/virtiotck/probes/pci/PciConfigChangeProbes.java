package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.NO_VECTOR;
import static org.virtiotck.probes.pci.PciFunction.hex;

import java.util.Arrays;
import java.util.BitSet;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.driver.transport.pci.PciCapabilities;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.driver.transport.pci.VirtioStructures;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ConfigChange;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What a virtio-pci device does when its configuration changes (VIRTIO 1.2 §4.1.4.3.1, §4.1.4.5.1, §4.1.5.4.1):
 * config_generation moves once the driver has read a changed value, the ISR configuration bit is set before the
 * notification, and with MSI-X enabled no interrupt comes while config_msix_vector is NO_VECTOR. The change is made
 * from the device's far side ({@link ConfigChange}); devices and targets without one SKIP.
 */
class PciConfigChangeProbes {
    /** How much of the device configuration a snapshot covers: the fields a far side changes are near its start. */
    private static final int SNAPSHOT_BYTES = 64;

    /** The first bytes of the device-specific configuration, read 32 bits at a time. */
    private static byte[] snapshot(PciFunction pci) {
        long length = pci.transport.structure(PciCapabilities.CAP_DEVICE_CFG).map(VirtioStructures.Structure::length).orElse(0L);
        byte[] b = new byte[(int) Math.min(SNAPSHOT_BYTES, length) & ~3];
        for (int off = 0; off < b.length; off += 4) {
            long v = pci.transport.readConfig(off, 4);
            for (int i = 0; i < 4; i++) {
                b[off + i] = (byte) (v >>> 8 * i);
            }
        }
        return b;
    }

    /** Takes snapshots until one differs from {@code before} or the deadline passes; the last one taken. */
    private static byte[] awaitDifferent(PciFunction pci, byte[] before, Deadline deadline) {
        deadline.until(() -> !Arrays.equals(snapshot(pci), before));
        return snapshot(pci);
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "config_generation changes once the driver read a configuration value that changed since",
            level = Level.MUST)
    void generationChangesOnceAChangedValueIsRead(Session session) {
        PciFunction pci = PciFunction.of(session);
        try (ConfigChange change = ConfigChange.of(session)) {
            Workload w = Workload.start(session, change.features());
            change.requireNegotiated(w.driver());
            byte[] before = snapshot(pci);
            int generation = pci.transport.configGeneration();
            String what = change.make();
            byte[] after = awaitDifferent(pci, before, w.driver().deadline());
            int at = Arrays.mismatch(before, after);
            Assumptions.assumeTrue(at >= 0, "the first " + before.length + " bytes of the device configuration read "
                    + "the same after " + what);
            int now = pci.transport.configGeneration();
            Check.that(now != generation, String.format("config_generation read after byte %d of the device "
                    + "configuration went from 0x%02x to 0x%02x (%s)", at, before[at] & 0xff, after[at] & 0xff, what),
                    "a value other than " + hex(generation), hex(now));
        }
    }

    /**
     * The ISR status as read once the notification for a change arrived: INTx asserted (seen in the PCI Status
     * Interrupt Status bit) with MSI-X disabled, config_msix_vector's message with it enabled. SKIP when none came.
     */
    private static int isrOnNotification(Session session, PciFunction pci, ConfigChange change, boolean msix) {
        Workload w = Workload.prepare(session, change.features());
        change.requireNegotiated(w.driver());
        Deadline deadline = w.driver().deadline();
        Msix vectors = null;
        if (msix) {
            vectors = pci.startWithVectors(session, w, 0, NO_VECTOR);
        } else {
            w.driver().driverOk();
        }
        pci.readIsr();
        String what = change.make();
        boolean notified = msix ? PciFunction.awaitMessage(vectors, 0, deadline) : deadline.until(pci::interruptStatus);
        Assumptions.assumeTrue(notified, "no " + (msix ? "message on config_msix_vector" : "INTx") + " after " + what
                + ": no notification to be early or late");
        return pci.readIsr();
    }

    @Probe
    @Clause(section = "4.1.4.5.1", label = "ISR configuration-change bit is set before a configuration change notification",
            level = Level.MUST)
    void isrConfigBitBeforeTheNotification(Session session) {
        PciFunction pci = PciFunction.of(session);
        try (ConfigChange change = ConfigChange.of(session)) {
            Assumptions.assumeFalse(pci.msixEnabled(), "MSI-X is enabled before the probe could check INTx");
            int isr = isrOnNotification(session, pci, change, false);
            Check.that((isr & PciTransport.ISR_CONFIG) != 0, "ISR status read once INTx was asserted for a configuration "
                    + "change, MSI-X disabled", "the configuration change bit (0x2) set", hex(isr));
            // The requirement names no interrupt mode, unlike the queue bit's: with MSI-X it holds as well.
            if (pci.msix().isPresent()) {
                isr = isrOnNotification(session, pci, change, true);
                Check.that((isr & PciTransport.ISR_CONFIG) != 0, "ISR status read once config_msix_vector's message for "
                        + "a configuration change arrived, MSI-X enabled", "the configuration change bit (0x2) set", hex(isr));
            }
        }
    }

    /** Starts the device with MSI-X on, configuration changes on {@code vector} and every queue on NO_VECTOR. */
    private static Msix startWithConfigVector(Session session, PciFunction pci, ConfigChange change, int vector) {
        Workload w = Workload.prepare(session, change.features());
        change.requireNegotiated(w.driver());
        return pci.startWithVectors(session, w, vector, NO_VECTOR);
    }

    @Probe
    @Clause(section = "4.1.5.4.1", label = "with MSI-X enabled and config vector NO_VECTOR, a config change raises no interrupt",
            level = Level.MUST)
    void configChangeOnNoVectorRaisesNoInterrupt(Session session) {
        PciFunction pci = PciFunction.of(session);
        pci.requireMsix();
        try (ConfigChange change = ConfigChange.of(session)) {
            // First a change with the vector mapped: it must send a message, or silence below proves nothing.
            Msix msix = startWithConfigVector(session, pci, change, 0);
            String what = change.make();
            Assumptions.assumeTrue(PciFunction.awaitMessage(msix, 0, session.driver().deadline()), "no message after "
                    + what + " with config_msix_vector 0 either: whether NO_VECTOR silences it cannot be told");

            msix = startWithConfigVector(session, pci, change, NO_VECTOR);
            what = change.make();
            BitSet sent = PciFunction.settledMessages(msix);
            String after = "after " + what + ", every vector mapping NO_VECTOR";
            Check.that(sent.isEmpty(), "MSI-X messages " + after, "none", "the message of vector(s) " + sent);
            Check.that(!pci.interruptStatus(), "PCI Status Interrupt Status (INTx) " + after, "clear", "set");
        }
    }
}
