package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.driver.transport.pci.CommonConfig.*;
import static org.virtiotck.driver.transport.pci.PciCapabilities.*;
import static org.virtiotck.probes.pci.PciFunction.hex;

import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.pci.PciCapabilities.Capability;
import org.virtiotck.driver.transport.pci.PciConfigSpace;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The PCI configuration access capability (VIRTIO 1.2 §4.1.4.9.1): a window in configuration space through which
 * the driver reaches the BAR structures. The probes aim the window at fields of the common configuration
 * structure (always inside a structure another capability names, as §4.1.4.9.2 asks of drivers), and compare what
 * goes through the window with what the memory BAR shows.
 */
class PciCfgAccessProbes {

    /** The window aimed at {@code field} of the common configuration, {@code width} bytes wide. */
    private record Window(PciConfigSpace config, Capability cap) {
        static Window of(PciFunction pci, int field, int width) {
            Capability cap = pci.transport.pciCfgCapability().orElse(null);
            Assumptions.assumeTrue(cap != null, "the device presents no PCI configuration access capability");
            Capability common = pci.transport.structure(CAP_COMMON_CFG).orElseThrow().capability();
            PciConfigSpace config = pci.transport.config();
            config.write(cap.position() + CAP_BAR, 1, common.bar());
            config.write(cap.position() + CAP_LENGTH, 4, width);
            config.write(cap.position() + CAP_OFFSET, 4, (int) (common.offset() + field));
            return new Window(config, cap);
        }

        int width() {
            return config.read(cap.position() + CAP_LENGTH, 4);
        }

        long read() {
            return Integer.toUnsignedLong(config.read(cap.position() + CAP_PCI_CFG_DATA, width()));
        }

        void write(long value) {
            config.write(cap.position() + CAP_PCI_CFG_DATA, width(), (int) value);
        }
    }

    @Probe
    @Clause(section = "4.1.4.9.1", label = "device presents at least one PCI configuration access capability", level = Level.MUST)
    void presentsPciCfgCapability(Session session) {
        PciFunction pci = PciFunction.of(session);
        Check.that(pci.transport.pciCfgCapability().isPresent(), "PCI configuration access capabilities (cfg_type 5)",
                "at least one", "none; vendor capabilities: " + pci.transport.capabilities());
    }

    @Probe
    @Clause(section = "4.1.4.9.1", label = "a read of pci_cfg_data returns what the BAR window the capability selects holds",
            level = Level.MUST)
    void windowReadReachesBar(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        pci.common.write(DEVICE_STATUS, 1, ACKNOWLEDGE);
        long features = pci.deviceFeatureWord(1);
        // One field of each width: device_feature (4 bytes, select 1), num_queues (2), device_status (1).
        Check.equal("device_feature (select 1) read through pci_cfg_data", hex(features),
                hex(Window.of(pci, DEVICE_FEATURE, 4).read()));
        Check.equal("num_queues read through pci_cfg_data", hex(pci.numQueues()), hex(Window.of(pci, NUM_QUEUES, 2).read()));
        Check.equal("device_status read through pci_cfg_data", hex(ACKNOWLEDGE), hex(Window.of(pci, DEVICE_STATUS, 1).read()));
    }

    @Probe
    @Clause(section = "4.1.4.9.1", label = "a write to pci_cfg_data writes the BAR window the capability selects",
            level = Level.MUST)
    void windowWriteReachesBar(Session session) {
        PciFunction pci = PciFunction.of(session);
        session.driver().reset();
        Assumptions.assumeTrue(pci.queueField(0, QUEUE_SIZE) != 0, "the device has no queue 0");
        // Queue 0 stays disabled, so the address written is only register contents until the reset below.
        Window.of(pci, QUEUE_DESC, 4).write(0x5a5a_5000L);
        Check.equal("queue_desc (low half) of queue 0 in the BAR after writing it through pci_cfg_data",
                hex(0x5a5a_5000L), hex(pci.common.read(QUEUE_DESC, 4)));
        Window.of(pci, DEVICE_STATUS, 1).write(ACKNOWLEDGE);
        Check.equal("device_status in the BAR after writing ACKNOWLEDGE through pci_cfg_data", hex(ACKNOWLEDGE),
                hex(pci.deviceStatus()));
        session.driver().reset();
    }
}
