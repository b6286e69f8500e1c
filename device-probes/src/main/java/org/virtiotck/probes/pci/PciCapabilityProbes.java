package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.PciCapabilities.*;
import static org.virtiotck.driver.transport.pci.PciTransport.*;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.transport.pci.PciCapabilities.Capability;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * The virtio structure capabilities on the PCI capability list (VIRTIO 1.2 §4.1.4): which structures a device
 * presents, how long each capability says it is, the alignment of the structures' offsets, and the rules for
 * shared memory and vendor data capabilities where a device has them. Every capability
 * of a type is checked, not only the one the driver model uses, since the rules hold for each of them.
 *
 * <p>The transport refuses, when the session opens, a function without a usable common, notification or ISR
 * structure; the presence probes for those three then never run, and the failure to open names the layout.
 */
class PciCapabilityProbes {
    /** cfg_type of shared memory regions and of vendor data (§4.1.4.7, §4.1.4.8). */
    private static final int CAP_SHARED_MEMORY_CFG = 8;
    private static final int CAP_VENDOR_CFG = 9;
    /** Offset of vendor_id in struct virtio_pci_vndr_data. */
    private static final int VENDOR_DATA_VENDOR_ID = 4;
    /**
     * Smallest cap_len of each structure type: struct virtio_pci_cap is 16 bytes, the notification and PCI
     * configuration access capabilities add a 4-byte field, the shared memory one (virtio_pci_cap64) 8 bytes.
     */
    private static final Map<Integer, Integer> MIN_CAP_LEN = Map.of(CAP_COMMON_CFG, 16, CAP_NOTIFY_CFG, 20,
            CAP_ISR_CFG, 16, CAP_DEVICE_CFG, 16, CAP_PCI_CFG, 20, CAP_SHARED_MEMORY_CFG, 24);

    private static void presents(Session session, int cfgType, String name) {
        PciFunction pci = PciFunction.of(session);
        Check.that(!pci.transport.capabilities(cfgType).isEmpty(), name + " capabilities (cfg_type " + cfgType + ")",
                "at least one", "none; vendor capabilities: " + pci.transport.capabilities());
    }

    private static void offsetsAligned(Session session, int cfgType, int alignment, String name) {
        List<Capability> caps = PciFunction.of(session).transport.capabilities(cfgType);
        Assumptions.assumeFalse(caps.isEmpty(), "the device presents no " + name + " capability");
        for (Capability c : caps) {
            Check.that(c.offset() % alignment == 0, "offset of the " + name + " capability " + c,
                    "a multiple of " + alignment, PciFunction.hex(c.offset()));
        }
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "device presents at least one common configuration capability", level = Level.MUST)
    void presentsCommonConfiguration(Session session) {
        presents(session, CAP_COMMON_CFG, "common configuration");
    }

    @Probe
    @Clause(section = "4.1.4.4.1", label = "device presents at least one notification capability", level = Level.MUST)
    void presentsNotification(Session session) {
        presents(session, CAP_NOTIFY_CFG, "notification");
    }

    @Probe
    @Clause(section = "4.1.4.5.1", label = "device presents at least one ISR status capability", level = Level.MUST)
    void presentsIsrStatus(Session session) {
        presents(session, CAP_ISR_CFG, "ISR status");
    }

    @Probe
    @Clause(section = "4.1.4.6", label = "device with a device-specific configuration presents a device configuration capability",
            level = Level.MUST)
    void presentsDeviceConfiguration(Session session) {
        PciFunction.of(session);
        DeviceType type = session.deviceType();
        Assumptions.assumeTrue(type != null, "the target does not say which device type it presents");
        // Of the types this suite knows, only the entropy device defines no configuration layout (§5.4.4).
        Assumptions.assumeTrue(type != DeviceType.RNG, "the entropy device has no device-specific configuration");
        presents(session, CAP_DEVICE_CFG, "device-specific configuration");
    }

    @Probe
    @Clause(section = "4.1.4.2", label = "cap_len covers the whole capability including any extra data", level = Level.MUST)
    void capLenCoversTheCapability(Session session) {
        for (Capability c : PciFunction.of(session).transport.capabilities()) {
            Integer min = MIN_CAP_LEN.get(c.cfgType());
            if (min != null) {
                Check.that(c.capLen() >= min, "cap_len of " + c, "at least " + min + " for cfg_type " + c.cfgType(),
                        String.valueOf(c.capLen()));
            }
        }
    }

    @Probe
    @Clause(section = "4.1.4.3.1", label = "common configuration capability offset is 4-byte aligned", level = Level.MUST)
    void commonOffsetAligned(Session session) {
        offsetsAligned(session, CAP_COMMON_CFG, 4, "common configuration");
    }

    @Probe
    @Clause(section = "4.1.4.6.1", label = "device configuration capability offset is 4-byte aligned", level = Level.MUST)
    void deviceConfigurationOffsetAligned(Session session) {
        offsetsAligned(session, CAP_DEVICE_CFG, 4, "device-specific configuration");
    }

    @Probe
    @Clause(section = "4.1.4.7.1", label = "shared memory capability ids are unique within the device", level = Level.MUST)
    void sharedMemoryIdsUnique(Session session) {
        List<Capability> regions = PciFunction.of(session).transport.capabilities(CAP_SHARED_MEMORY_CFG);
        Assumptions.assumeFalse(regions.isEmpty(), "the device presents no shared memory capability");
        Set<Integer> ids = new HashSet<>();
        for (Capability c : regions) {
            Check.that(ids.add(c.id()), "id of the shared memory capability " + c, "an id no other region has",
                    "id " + c.id() + " again");
        }
    }

    private static List<Capability> vendorData(PciFunction pci) {
        List<Capability> caps = pci.transport.capabilities(CAP_VENDOR_CFG);
        Assumptions.assumeFalse(caps.isEmpty(), "the device presents no vendor data capability");
        return caps;
    }

    @Probe
    @Clause(section = "4.1.4.8.1", label = "vendor data capability vendor_id is not 0x1AF4", level = Level.MUST)
    void vendorDataNotVirtioVendor(Session session) {
        PciFunction pci = PciFunction.of(session);
        for (Capability c : vendorData(pci)) {
            int vendor = pci.config(c.position() + VENDOR_DATA_VENDOR_ID, 2);
            Check.that(vendor != VIRTIO_VENDOR_ID, "vendor_id of the vendor data capability " + c,
                    "a PCI vendor other than 0x1af4", PciFunction.hex(vendor));
        }
    }

    @Probe
    @Clause(section = "4.1.4.8.1", label = "vendor data capability size is a multiple of 4 bytes", level = Level.MUST)
    void vendorDataSizeMultipleOfFour(Session session) {
        for (Capability c : vendorData(PciFunction.of(session))) {
            Check.that(c.capLen() % 4 == 0, "cap_len of the vendor data capability " + c, "a multiple of 4",
                    String.valueOf(c.capLen()));
        }
    }
}
