package org.virtiotck.driver.transport.pci;

import static org.virtiotck.driver.transport.pci.PciCapabilities.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.driver.transport.pci.PciBars.Bar;
import org.virtiotck.driver.transport.pci.PciCapabilities.Capability;

/**
 * The virtio structures a transport uses: for each of the common, notify, ISR and device cfg_types, the first
 * capability on the list the driver can use (§4.1.4.1), placed at its bus address.
 */
public final class VirtioStructures {
    /** A structure the transport uses: its capability and its bus address (BAR address + offset). */
    public record Structure(Capability capability, long address) {
        public long length() {
            return capability.length();
        }
    }

    private final Map<Integer, Structure> byType;

    private VirtioStructures(Map<Integer, Structure> byType) {
        this.byType = byType;
    }

    /**
     * Picks one structure of each type from the vendor capabilities.
     *
     * @throws PciLayoutException when a required structure is missing or a capability the driver would use
     *         cannot be reached
     */
    static VirtioStructures choose(List<Capability> capabilities, PciBars bars) {
        List<String> ignored = new ArrayList<>();
        Map<Integer, Structure> byType = new HashMap<>();
        for (int type = CAP_COMMON_CFG; type <= CAP_DEVICE_CFG; type++) {
            Structure s = first(type, capabilities, bars, ignored);
            if (s != null) {
                byType.put(type, s);
            } else if (type != CAP_DEVICE_CFG) {
                // A device type without device-specific configuration need not present that structure (§4.1.4.6).
                throw new PciLayoutException(String.format("no usable %s structure (cfg_type %d) on the capability "
                        + "list; vendor capabilities: %s%s", typeName(type), type, capabilities,
                        ignored.isEmpty() ? "" : "; ignored: " + String.join("; ", ignored)));
            }
        }
        return new VirtioStructures(byType);
    }

    /** The structure of this cfg_type, if one is used. */
    public Optional<Structure> get(int cfgType) {
        return Optional.ofNullable(byType.get(cfgType));
    }

    /** Smallest structure length the driver can work with. */
    private static long minimumLength(int cfgType) {
        return switch (cfgType) {
            case CAP_COMMON_CFG -> CommonConfig.MIN_LENGTH;
            case CAP_NOTIFY_CFG -> 2;
            case CAP_ISR_CFG -> 1;
            default -> 0;
        };
    }

    /**
     * The first capability of this type the driver can use (§4.1.4.1: use the first one supported). A reserved
     * BAR number is skipped as the spec requires, and so is an I/O BAR, which this memory-only driver cannot
     * reach. A capability in a memory BAR that cannot hold it is an error, not skipped.
     */
    private static Structure first(int cfgType, List<Capability> capabilities, PciBars bars, List<String> ignored) {
        for (Capability c : capabilities) {
            if (c.cfgType() != cfgType) {
                continue;
            }
            if (c.bar() > 5) {
                ignored.add(c + " names reserved BAR " + c.bar());
                continue;
            }
            Bar b = bars.get(c.bar());
            if (b.io()) {
                ignored.add(String.format("%s is in I/O BAR %d (reads 0x%08x); only memory BARs are used", c, b.index(),
                        b.raw()));
                continue;
            }
            String where = String.format("the %s capability %s", typeName(cfgType), c);
            if (b.upperHalfOf() >= 0) {
                throw new PciLayoutException(String.format("%s names BAR %d, the upper half of 64-bit BAR %d",
                        where, b.index(), b.upperHalfOf()));
            }
            if (b.problem() != null) {
                throw new PciLayoutException(String.format("%s names BAR %d (reads 0x%08x), which %s", where,
                        b.index(), b.raw(), b.problem()));
            }
            if (b.size() == 0) {
                throw new PciLayoutException(String.format("%s names BAR %d, which is not implemented "
                        + "(reads 0x%08x, size mask 0)", where, b.index(), b.raw()));
            }
            if (c.offset() + c.length() > b.size()) {
                throw new PciLayoutException(String.format("%s ends at 0x%x, outside BAR %d of 0x%x bytes", where,
                        c.offset() + c.length(), b.index(), b.size()));
            }
            if (c.length() < minimumLength(cfgType)) {
                throw new PciLayoutException(String.format("%s is too short: length 0x%x, at least 0x%x needed", where,
                        c.length(), minimumLength(cfgType)));
            }
            if (cfgType == CAP_NOTIFY_CFG && c.capLen() < CAP_MIN_LEN + 4) {
                throw new PciLayoutException(String.format("%s has cap_len %d, too short for notify_off_multiplier "
                        + "(needs %d)", where, c.capLen(), CAP_MIN_LEN + 4));
            }
            if (b.address() == 0) {
                throw new PciLayoutException(String.format("%s is in BAR %d, which has no address (reads 0x%08x); "
                        + "assign the BARs first (PciTransport.assignBars)", where, b.index(), b.raw()));
            }
            return new Structure(c, b.address() + c.offset());
        }
        return null;
    }
}
