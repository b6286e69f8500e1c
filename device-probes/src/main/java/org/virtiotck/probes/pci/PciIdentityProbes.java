package org.virtiotck.probes.pci;

import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;
import static org.virtiotck.probes.pci.PciFunction.hex;

import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * PCI identification of a virtio function (VIRTIO 1.2 §4.1.2.1): vendor and device ID, and for non-transitional
 * devices the revision and subsystem IDs that keep legacy drivers away. The expected device ID follows from the
 * device type the target says it presents.
 */
class PciIdentityProbes {
    /** Transitional PCI device IDs by virtio device ID (the table in §4.1.2.1). */
    private static final Map<Integer, Integer> TRANSITIONAL = Map.of(1, 0x1000, 2, 0x1001, 5, 0x1002, 3, 0x1003,
            8, 0x1004, 4, 0x1005, 9, 0x1009);

    /** A device with a transitional device ID may be transitional; the non-transitional SHOULDs are not about it. */
    private static int nonTransitionalDeviceId(PciFunction pci) {
        int id = pci.config(DEVICE_ID, 2);
        Assumptions.assumeFalse(id >= 0x1000 && id <= 0x103f,
                "device ID " + hex(id) + " is a transitional ID: the clause is about non-transitional devices");
        return id;
    }

    @Probe
    @Clause(section = "4.1.2.1", label = "PCI Vendor ID is 0x1AF4", level = Level.MUST)
    void vendorId(Session session) {
        Check.equal("PCI Vendor ID", hex(PciTransport.VIRTIO_VENDOR_ID), hex(PciFunction.of(session).config(VENDOR_ID, 2)));
    }

    @Probe
    @Clause(section = "4.1.2.1", label = "PCI Device ID is 0x1040 plus the virtio device ID, or the type's transitional ID",
            level = Level.MUST)
    void deviceIdMatchesType(Session session) {
        PciFunction pci = PciFunction.of(session);
        Assumptions.assumeTrue(session.deviceType() != null, "the target does not say which device type it presents");
        int virtioId = session.deviceType().id();
        int modern = PciTransport.MODERN_DEVICE_ID_BASE + virtioId;
        Integer transitional = TRANSITIONAL.get(virtioId);
        int id = pci.config(DEVICE_ID, 2);
        Check.that(id == modern || transitional != null && id == transitional,
                "PCI Device ID of a " + session.deviceType().lowerName() + " device (virtio device ID " + virtioId + ")",
                hex(modern) + (transitional == null ? "" : " or " + hex(transitional)), hex(id));
    }

    @Probe
    @Clause(section = "4.1.2.1", label = "non-transitional device has a PCI Device ID in 0x1040..0x107f", level = Level.SHOULD)
    void deviceIdInModernRange(Session session) {
        int id = nonTransitionalDeviceId(PciFunction.of(session));
        Check.that(id >= 0x1040 && id <= 0x107f, "PCI Device ID", "0x1040..0x107f", hex(id));
    }

    @Probe
    @Clause(section = "4.1.2.1", label = "non-transitional device has a PCI Revision ID of 1 or more", level = Level.SHOULD)
    void revisionAtLeastOne(Session session) {
        PciFunction pci = PciFunction.of(session);
        nonTransitionalDeviceId(pci);
        int revision = pci.config(REVISION_ID, 1);
        Check.that(revision >= 1, "PCI Revision ID", "1 or more", hex(revision));
    }

    @Probe
    @Clause(section = "4.1.2.1", label = "non-transitional device has a PCI Subsystem Device ID of 0x40 or more",
            level = Level.SHOULD)
    void subsystemIdAtLeast0x40(Session session) {
        PciFunction pci = PciFunction.of(session);
        nonTransitionalDeviceId(pci);
        int subsystem = pci.config(SUBSYSTEM_ID, 2);
        Check.that(subsystem >= 0x40, "PCI Subsystem Device ID", "0x40 or more", hex(subsystem));
    }
}
