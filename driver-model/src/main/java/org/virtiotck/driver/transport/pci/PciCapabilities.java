package org.virtiotck.driver.transport.pci;

import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

import java.util.ArrayList;
import java.util.List;

/**
 * A function's PCI capability list as walked from the capabilities pointer, with its vendor-specific capabilities
 * (the virtio structure capabilities, struct virtio_pci_cap, VIRTIO 1.2 §4.1.4) read raw. A malformed list, or a
 * capability of a type the driver uses that cannot hold struct virtio_pci_cap, fails the walk.
 */
public final class PciCapabilities {
    /** cfg_type of the virtio structure capabilities. */
    public static final int CAP_COMMON_CFG = 1;
    public static final int CAP_NOTIFY_CFG = 2;
    public static final int CAP_ISR_CFG = 3;
    public static final int CAP_DEVICE_CFG = 4;
    public static final int CAP_PCI_CFG = 5;

    /** Byte offsets inside struct virtio_pci_cap, counted from the capability's position. */
    public static final int CAP_LEN = 2;
    public static final int CAP_CFG_TYPE = 3;
    public static final int CAP_BAR = 4;
    public static final int CAP_ID = 5;
    public static final int CAP_OFFSET = 8;
    public static final int CAP_LENGTH = 12;
    /** Extra field of the notify capability. */
    public static final int CAP_NOTIFY_OFF_MULTIPLIER = 16;
    /** Extra field of the PCI configuration access capability: the 4-byte data window. */
    public static final int CAP_PCI_CFG_DATA = 16;
    /** Size of struct virtio_pci_cap; the notify and pci_cfg capabilities add 4 bytes. */
    public static final int CAP_MIN_LEN = 16;

    /**
     * One vendor-specific capability as found on the list, raw. {@code bar}, {@code offset} and {@code length}
     * are -1 when cap_len is too short to hold them (possible only for types this driver does not use).
     */
    public record Capability(int position, int capLen, int cfgType, int bar, int id, long offset, long length) {
        @Override
        public String toString() {
            if (bar < 0) {
                return String.format("cap@0x%02x{cap_len %d, cfg_type %d}", position, capLen, cfgType);
            }
            return String.format("cap@0x%02x{cap_len %d, cfg_type %d, bar %d, id %d, offset 0x%x, length 0x%x}",
                    position, capLen, cfgType, bar, id, offset, length);
        }
    }

    /** One entry of the capability list, of any kind (vendor-specific, MSI-X, power management...). */
    public record ListEntry(int position, int id) {
    }

    private final List<ListEntry> list;
    private final List<Capability> vendor;

    private PciCapabilities(List<ListEntry> list, List<Capability> vendor) {
        this.list = list;
        this.vendor = vendor;
    }

    /**
     * Follows the list from the capabilities pointer. Each pointer must be 0 (end) or at least 0x40; its low two
     * bits are reserved and masked off, as PCI requires of software. A position seen twice is a loop.
     *
     * @throws PciLayoutException when the list or a virtio structure capability on it is malformed
     */
    public static PciCapabilities walk(PciConfigSpace config) {
        List<ListEntry> list = walkList(config);
        List<Capability> vendor = list.stream().filter(e -> e.id() == CAP_ID_VENDOR)
                .map(e -> readVendorCapability(config, e.position())).toList();
        return new PciCapabilities(list, vendor);
    }

    /** Every capability on the list, in list order, whatever its id. */
    public List<ListEntry> list() {
        return list;
    }

    /** Every vendor-specific capability on the list, in list order. */
    public List<Capability> vendor() {
        return vendor;
    }

    /** Human name of a cfg_type, for messages. */
    static String typeName(int cfgType) {
        return switch (cfgType) {
            case CAP_COMMON_CFG -> "common configuration";
            case CAP_NOTIFY_CFG -> "notification";
            case CAP_ISR_CFG -> "ISR status";
            case CAP_DEVICE_CFG -> "device-specific configuration";
            case CAP_PCI_CFG -> "PCI configuration access";
            default -> "cfg_type " + cfgType;
        };
    }

    private static List<ListEntry> walkList(PciConfigSpace config) {
        int status = config.read(STATUS, 2);
        if ((status & STATUS_CAPABILITIES_LIST) == 0) {
            throw new PciLayoutException(String.format("the status register reads 0x%04x: the capabilities-list bit "
                    + "(0x10) is clear, so the function has no virtio structure capabilities", status));
        }
        List<ListEntry> entries = new ArrayList<>();
        boolean[] seen = new boolean[256];
        String from = "the capabilities pointer (0x34)";
        int pointer = config.read(CAPABILITIES_POINTER, 1);
        while (pointer != 0) {
            if (pointer < 0x40 || pointer > 0xff) {
                throw new PciLayoutException(String.format("%s reads 0x%02x, outside 0x40..0xff", from, pointer));
            }
            int pos = pointer & 0xfc;
            if (seen[pos]) {
                throw new PciLayoutException(String.format("%s reads 0x%02x, a capability already visited: the "
                        + "capability list loops (visited %s)", from, pointer, visited(seen)));
            }
            seen[pos] = true;
            int id = config.read(pos, 1);
            entries.add(new ListEntry(pos, id));
            from = String.format("the next pointer of the capability at 0x%02x (id 0x%02x)", pos, id);
            pointer = config.read(pos + 1, 1);
        }
        return List.copyOf(entries);
    }

    private static String visited(boolean[] seen) {
        List<String> at = new ArrayList<>();
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                at.add(String.format("0x%02x", i));
            }
        }
        return String.join(", ", at);
    }

    private static Capability readVendorCapability(PciConfigSpace config, int pos) {
        int capLen = config.read(pos + CAP_LEN, 1);
        int cfgType = config.read(pos + CAP_CFG_TYPE, 1);
        boolean used = cfgType >= CAP_COMMON_CFG && cfgType <= CAP_PCI_CFG;
        boolean fits = capLen >= CAP_MIN_LEN && pos + capLen <= 0x100;
        if (used && !fits) {
            throw new PciLayoutException(String.format("the vendor capability at 0x%02x (cfg_type %d) has cap_len %d: "
                    + "%s", pos, cfgType, capLen, capLen < CAP_MIN_LEN
                    ? "shorter than the 16 bytes of struct virtio_pci_cap" : "it runs past the end of configuration space"));
        }
        if (!fits) {
            // Vendor data, shared memory and reserved types: recorded for probes, not interpreted.
            return new Capability(pos, capLen, cfgType, -1, -1, -1, -1);
        }
        return new Capability(pos, capLen, cfgType, config.read(pos + CAP_BAR, 1), config.read(pos + CAP_ID, 1),
                Integer.toUnsignedLong(config.read(pos + CAP_OFFSET, 4)),
                Integer.toUnsignedLong(config.read(pos + CAP_LENGTH, 4)));
    }
}
