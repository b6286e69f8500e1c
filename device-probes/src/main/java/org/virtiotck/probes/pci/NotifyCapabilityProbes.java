package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.CommonConfig.QUEUE_NOTIFY_OFF;
import static org.virtiotck.driver.transport.pci.CommonConfig.QUEUE_SIZE;
import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_NOTIFY_CFG;
import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_NOTIFY_OFF_MULTIPLIER;
import static org.virtiotck.probes.pci.PciFunction.hex;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.transport.pci.PciCapabilities.Capability;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The notification capability (VIRTIO 1.2 §4.1.4.4.1). Its rules come in two forms: without NOTIFICATION_DATA
 * a notification is a 16-bit write, with it a 32-bit one, so offset alignment, multiplier and length follow that
 * width. The form is chosen by what the device offers, not by what a driver negotiates. Every notification
 * capability on the list is checked.
 */
class NotifyCapabilityProbes {

    /** The notification width the device's offer implies: 2 bytes, or 4 with NOTIFICATION_DATA. */
    private record Form(PciFunction pci, List<Capability> caps, int width) {
    }

    /** The function's notification capabilities, when the device's offer matches {@code notificationData}. */
    private static Form form(Session session, boolean notificationData) {
        PciFunction pci = PciFunction.of(session);
        boolean offered = pci.transport.deviceFeatures().has(Feature.NOTIFICATION_DATA);
        Assumptions.assumeTrue(offered == notificationData, "the clause is for devices " + (notificationData
                ? "offering" : "not offering") + " NOTIFICATION_DATA, and this one " + (offered ? "does" : "does not"));
        List<Capability> caps = pci.transport.capabilities(CAP_NOTIFY_CFG);
        Assumptions.assumeFalse(caps.isEmpty(), "the device presents no notification capability");
        return new Form(pci, caps, notificationData ? 4 : 2);
    }

    private static long multiplier(Form f, Capability c) {
        return Integer.toUnsignedLong(f.pci().config(c.position() + CAP_NOTIFY_OFF_MULTIPLIER, 4));
    }

    private static void offsetAligned(Form f) {
        for (Capability c : f.caps()) {
            Check.that(c.offset() % f.width() == 0, "offset of the notification capability " + c,
                    f.width() + "-byte aligned", hex(c.offset()));
        }
    }

    /** 0, or a power of 2 that is a multiple of the notification width (so every notify address is aligned). */
    private static void multiplierValid(Form f) {
        for (Capability c : f.caps()) {
            long m = multiplier(f, c);
            Check.that(m == 0 || Long.bitCount(m) == 1 && m % f.width() == 0, "notify_off_multiplier of " + c,
                    "0 or a power of 2 that is a multiple of " + f.width(), String.valueOf(m));
        }
    }

    private static void lengthAtLeastWidth(Form f) {
        for (Capability c : f.caps()) {
            Check.that(c.length() >= f.width(), "length of the notification capability " + c,
                    "at least " + f.width(), hex(c.length()));
        }
    }

    /** Each queue the device has (queue_size not 0) gets a notify address inside every notification structure. */
    private static void lengthCoversQueues(Form f) {
        PciFunction pci = f.pci();
        int queues = pci.numQueues();
        for (int q = 0; q < queues; q++) {
            if (pci.queueField(q, QUEUE_SIZE) == 0) {
                continue;
            }
            int off = pci.queueField(q, QUEUE_NOTIFY_OFF);
            for (Capability c : f.caps()) {
                long end = off * multiplier(f, c) + f.width();
                Check.that(end <= c.length(), "notification capability " + c + " for queue " + q + " (queue_notify_off "
                        + off + ", notify_off_multiplier " + multiplier(f, c) + ")",
                        "length at least " + hex(end), hex(c.length()));
            }
        }
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "without NOTIFICATION_DATA, notification capability offset is 2-byte aligned",
            level = Level.MUST)
    void offsetAligned(Session session) {
        offsetAligned(form(session, false));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "without NOTIFICATION_DATA, notify_off_multiplier is 0 or an even power of 2",
            level = Level.MUST)
    void multiplierValid(Session session) {
        multiplierValid(form(session, false));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "without NOTIFICATION_DATA, notification capability length is at least 2",
            level = Level.MUST)
    void lengthAtLeastTwo(Session session) {
        lengthAtLeastWidth(form(session, false));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "without NOTIFICATION_DATA, notification length covers every queue's notify offset plus 2",
            level = Level.MUST)
    void lengthCoversQueues(Session session) {
        lengthCoversQueues(form(session, false));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "with NOTIFICATION_DATA, notification capability offset is 4-byte aligned",
            level = Level.MUST)
    void offsetAlignedWithData(Session session) {
        offsetAligned(form(session, true));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "with NOTIFICATION_DATA, notify_off_multiplier is 0 or a power of 2 that is a multiple of 4",
            level = Level.MUST)
    void multiplierValidWithData(Session session) {
        multiplierValid(form(session, true));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "with NOTIFICATION_DATA, notification capability length is at least 4",
            level = Level.MUST)
    void lengthAtLeastFour(Session session) {
        lengthAtLeastWidth(form(session, true));
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "with NOTIFICATION_DATA, notification length covers every queue's notify offset plus 4",
            level = Level.MUST)
    void lengthCoversQueuesWithData(Session session) {
        lengthCoversQueues(form(session, true));
    }
}
