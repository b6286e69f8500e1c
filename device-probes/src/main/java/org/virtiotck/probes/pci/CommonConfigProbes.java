package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.driver.transport.DeviceStatus.DRIVER;
import static org.virtiotck.driver.transport.pci.CommonConfig.*;
import static org.virtiotck.probes.pci.PciFunction.hex;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Fields of the common configuration structure read and written one by one (VIRTIO 1.2 §4.1.4.3.1, §4.1.3.2):
 * the feature windows, queue_size, and the two halves of the 64-bit queue addresses. Each probe starts from a
 * reset device and leaves it before FEATURES_OK, so nothing it writes is ever used by the device.
 */
class CommonConfigProbes {
    /** VIRTIO 1.2 defines feature bits 0..127 (§2.2), so selects from 4 on name windows with nothing offered. */
    private static final long[] EMPTY_WINDOWS = {4, 5, 0x80, 0xffff_ffffL};

    private static PciFunction reset(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        return pci;
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "device_feature shows the offered bits of the window device_feature_select chose",
            level = Level.MUST)
    void deviceFeatureFollowsSelect(Session session) {
        PciFunction pci = reset(session);
        long[] words = new long[4];
        for (int sel = 0; sel < 4; sel++) {
            words[sel] = pci.deviceFeatureWord(sel);
        }
        // The same window read again after the others must show the same bits.
        for (int sel = 3; sel >= 0; sel--) {
            Check.equal("device_feature for select " + sel + " read again after selects 0..3", hex(words[sel]),
                    hex(pci.deviceFeatureWord(sel)));
        }
        for (long sel : EMPTY_WINDOWS) {
            Check.equal("device_feature for select " + hex(sel) + " (feature bits from " + sel * 32 + ", none defined)",
                    hex(0), hex(pci.deviceFeatureWord((int) sel)));
        }
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "driver_feature reads back the valid feature bits the driver wrote", level = Level.MUST)
    void driverFeatureReadsBack(Session session) {
        PciFunction pci = reset(session);
        MmioBus c = pci.common;
        c.write(DEVICE_STATUS, 1, ACKNOWLEDGE);
        c.write(DEVICE_STATUS, 1, ACKNOWLEDGE | DRIVER);
        long[] offered = new long[4];
        for (int sel = 0; sel < 4; sel++) {
            offered[sel] = pci.deviceFeatureWord(sel);
            c.write(DRIVER_FEATURE_SELECT, 4, sel);
            c.write(DRIVER_FEATURE, 4, offered[sel]);
        }
        // Read back after every window is written, so a device that keeps one window for all selects shows.
        for (int sel = 0; sel < 4; sel++) {
            c.write(DRIVER_FEATURE_SELECT, 4, sel);
            Check.equal("driver_feature for select " + sel + " after the driver wrote every offered bit there",
                    hex(offered[sel]), hex(c.read(DRIVER_FEATURE, 4)));
        }
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "queue_size reads 0 for a queue the device does not have", level = Level.MUST)
    void queueSizeZeroBeyondNumQueues(Session session) {
        PciFunction pci = reset(session);
        int queues = pci.numQueues();
        Assumptions.assumeTrue(queues < 0xffff, "num_queues is " + queues + ": every queue_select names a queue");
        Check.equal("queue_size of queue " + queues + ", with num_queues " + queues, 0, pci.queueField(queues, QUEUE_SIZE));
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "without RING_PACKED, queue_size reads 0 or a power of 2", level = Level.MUST)
    void queueSizePowerOfTwo(Session session) {
        // Just after reset nothing is negotiated, RING_PACKED included.
        PciFunction pci = reset(session);
        int queues = pci.numQueues();
        for (int q = 0; q < queues; q++) {
            int size = pci.queueField(q, QUEUE_SIZE);
            Check.that(Integer.bitCount(size) <= 1, "queue_size of queue " + q + " before any feature is negotiated",
                    "0 or a power of 2", String.valueOf(size));
        }
    }

    @Probe
    @Clause(section = "4.1.3.2", label = "64-bit configuration fields allow separate access to their low and high 32 bits",
            level = Level.MUST)
    void queueAddressHalvesSeparately(Session session) {
        PciFunction pci = reset(session);
        Assumptions.assumeTrue(pci.queueField(0, QUEUE_SIZE) != 0, "the device has no queue 0");
        // Queue 0 is not enabled, so its addresses are only register contents until the next reset.
        for (int field : new int[] {QUEUE_DESC, QUEUE_DRIVER, QUEUE_DEVICE}) {
            String name = switch (field) {
                case QUEUE_DESC -> "queue_desc";
                case QUEUE_DRIVER -> "queue_driver";
                default -> "queue_device";
            };
            MmioBus c = pci.common;
            c.write(field, 4, 0x1234_5000L);
            c.write(field + 4, 4, 0x1);
            c.write(field, 4, 0x2345_6000L);
            Check.equal(name + " high half after writing only the low half", hex(0x1), hex(c.read(field + 4, 4)));
            Check.equal(name + " low half written alone", hex(0x2345_6000L), hex(c.read(field, 4)));
            c.write(field + 4, 4, 0x2);
            Check.equal(name + " low half after writing only the high half", hex(0x2345_6000L), hex(c.read(field, 4)));
            Check.equal(name + " high half written alone", hex(0x2), hex(c.read(field + 4, 4)));
        }
        session.driver().reset();
    }
}
