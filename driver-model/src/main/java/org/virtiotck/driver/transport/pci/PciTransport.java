package org.virtiotck.driver.transport.pci;

import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.Transport;

/**
 * The virtio-pci modern transport (VIRTIO 1.2 §4.1), driver side.
 *
 * <p>Two views of one PCI function are needed: its configuration space ({@link PciConfigSpace}), and an
 * {@link MmioBus} that takes <em>absolute bus addresses</em>, on which the function's memory BARs decode.
 * The transport reads each BAR's address from configuration space and adds the structure offsets to it.
 * It does not place BARs itself: whoever plays firmware (the session, or a QEMU guest stub) assigns them
 * first, with {@link #assignBars} when nothing else did. {@link #probe} then sizes the BARs, walks the
 * capability list, picks the first usable structure of each type, and turns on Memory Space and Bus Master.
 *
 * <p>Every access uses the width of the field it touches (§4.1.3.1): u8 fields 1 byte, u16 fields 2 bytes,
 * u32 fields and each half of a u64 field 4 bytes.
 *
 * <p>Interrupts are INTx style (the ISR status) until a probe turns MSI-X on ({@link Msix#enable}) and maps events
 * to vectors ({@link #mapConfigVector}, {@link #mapQueueVector}); {@link #takeInterrupts} then reports the causes
 * mapped to the vectors whose messages arrived, and reads the ISR no more (§4.1.4.5.2).
 */
public final class PciTransport implements Transport {
    public static final int VIRTIO_VENDOR_ID = 0x1af4;
    /** Modern (non-transitional) functions have PCI device id 0x1040 + virtio device id, up to 0x107f. */
    public static final int MODERN_DEVICE_ID_BASE = 0x1040;

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
    /** ISR status bits (§4.1.4.5), which are also the causes {@link #takeInterrupts} reports. */
    public static final int ISR_QUEUE = 1;
    public static final int ISR_CONFIG = 2;
    /** Size of struct virtio_pci_cap; the notify and pci_cfg capabilities add 4 bytes. */
    public static final int CAP_MIN_LEN = 16;

    /** Field offsets in the common configuration structure (struct virtio_pci_common_cfg). */
    public static final class Common {
        public static final int DEVICE_FEATURE_SELECT = 0x00;
        public static final int DEVICE_FEATURE = 0x04;
        public static final int DRIVER_FEATURE_SELECT = 0x08;
        public static final int DRIVER_FEATURE = 0x0c;
        public static final int CONFIG_MSIX_VECTOR = 0x10;
        public static final int NUM_QUEUES = 0x12;
        public static final int DEVICE_STATUS = 0x14;
        public static final int CONFIG_GENERATION = 0x15;
        public static final int QUEUE_SELECT = 0x16;
        public static final int QUEUE_SIZE = 0x18;
        public static final int QUEUE_MSIX_VECTOR = 0x1a;
        public static final int QUEUE_ENABLE = 0x1c;
        public static final int QUEUE_NOTIFY_OFF = 0x1e;
        /** Each u64 address is a low then a high 32-bit half. */
        public static final int QUEUE_DESC = 0x20;
        public static final int QUEUE_DRIVER = 0x28;
        public static final int QUEUE_DEVICE = 0x30;
        public static final int QUEUE_NOTIFY_DATA = 0x38;
        public static final int QUEUE_RESET = 0x3a;
        /** The structure through queue_reset. */
        public static final int LENGTH = 0x3c;
        /** The part this driver uses (through queue_device): a shorter structure is unusable. */
        public static final int MIN_LENGTH = 0x38;
        /** MSI-X vector value meaning "no vector". */
        public static final int NO_VECTOR = 0xffff;

        private Common() {
        }
    }

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

    /** A structure the transport uses: its capability and its bus address (BAR address + offset). */
    public record Structure(Capability capability, long address) {
        public long length() {
            return capability.length();
        }
    }

    private final PciConfigSpace config;
    private final MmioBus bus;
    private final int vendorId;
    private final int pciDeviceId;
    private final int subsystemId;
    private final List<ListEntry> capabilityList;
    private final List<Capability> capabilities;
    private final Map<Integer, Structure> structures;
    private final Structure common;
    private final Structure notify;
    private final Structure isr;
    private final Structure device;
    private final long notifyOffMultiplier;
    private final Map<Integer, Long> notifyAddresses = new HashMap<>();
    private final Msix msix;
    /** The vector mappings that read back, as this transport made them; a reset unmaps them all. */
    private int configVector = Common.NO_VECTOR;
    private final Map<Integer, Integer> queueVectors = new HashMap<>();

    private PciTransport(PciConfigSpace config, MmioBus bus) {
        this.config = config;
        this.bus = bus;
        this.vendorId = config.read(VENDOR_ID, 2);
        this.pciDeviceId = config.read(DEVICE_ID, 2);
        this.subsystemId = config.read(SUBSYSTEM_ID, 2);
        Bar[] bars = readBars(config);
        this.capabilityList = walkList(config);
        this.capabilities = vendorCapabilities(config, capabilityList);
        List<String> ignored = new ArrayList<>();
        this.structures = new HashMap<>();
        for (int type = CAP_COMMON_CFG; type <= CAP_DEVICE_CFG; type++) {
            Structure s = choose(type, bars, ignored);
            if (s != null) {
                structures.put(type, s);
            } else if (type != CAP_DEVICE_CFG) {
                // A device type without device-specific configuration need not present that structure (§4.1.4.6).
                throw new PciLayoutException(String.format("no usable %s structure (cfg_type %d) on the capability "
                        + "list; vendor capabilities: %s%s", typeName(type), type, capabilities,
                        ignored.isEmpty() ? "" : "; ignored: " + String.join("; ", ignored)));
            }
        }
        this.common = structures.get(CAP_COMMON_CFG);
        this.notify = structures.get(CAP_NOTIFY_CFG);
        this.isr = structures.get(CAP_ISR_CFG);
        this.device = structures.get(CAP_DEVICE_CFG);
        this.notifyOffMultiplier = Integer.toUnsignedLong(
                config.read(notify.capability().position() + CAP_NOTIFY_OFF_MULTIPLIER, 4));
        this.msix = capabilityList.stream().filter(e -> e.id() == Msix.CAP_ID).findFirst()
                .map(e -> new Msix(config, bus, e.position(), placement(config, e.position() + Msix.TABLE, bars),
                        placement(config, e.position() + Msix.PBA, bars)))
                .orElse(null);
        int command = config.read(COMMAND, 2);
        config.write(COMMAND, 2, command | COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER);
    }

    /**
     * Sizes the function's BARs, walks its capability list, locates the common, notify, ISR and (when present)
     * device configuration structures, and enables Memory Space and Bus Master. The BARs must already have
     * addresses ({@link #assignBars}).
     *
     * @param bus memory accesses at absolute bus addresses, covering the function's assigned BARs
     * @throws PciLayoutException when the layout is malformed or a required structure cannot be used
     */
    public static PciTransport probe(PciConfigSpace config, MmioBus bus) {
        return new PciTransport(config, bus);
    }

    /**
     * What firmware does at enumeration: sizes every memory BAR (all-ones written, size mask read back, value
     * restored) and places each at the next address from {@code base} aligned to its size, in BAR order.
     * I/O BARs and unimplemented BARs are left alone. Memory decode is off meanwhile and the command register
     * is restored afterwards (so decode is not turned on here).
     *
     * @return the first bus address after the last BAR placed
     * @throws PciLayoutException when a BAR's size mask is malformed, or a 32-bit BAR would end above 4 GiB
     */
    public static long assignBars(PciConfigSpace config, long base) {
        int command = config.read(COMMAND, 2);
        config.write(COMMAND, 2, command & ~(COMMAND_MEMORY_SPACE | COMMAND_IO_SPACE));
        try {
            long next = base;
            for (Bar b : readBarsDecodeOff(config)) {
                if (b.io || b.size == 0 || b.upperHalfOf >= 0) {
                    continue;
                }
                if (b.problem != null) {
                    throw new PciLayoutException(String.format("BAR %d (reads 0x%08x) %s", b.index, b.raw, b.problem));
                }
                long address = (next + b.size - 1) & -b.size;
                if (!b.wide && address + b.size > 1L << 32) {
                    throw new PciLayoutException(String.format("32-bit BAR %d of 0x%x bytes does not fit below 4 GiB "
                            + "from 0x%x", b.index, b.size, address));
                }
                int reg = BAR0 + 4 * b.index;
                config.write(reg, 4, (int) address);
                if (b.wide) {
                    config.write(reg + 4, 4, (int) (address >>> 32));
                }
                next = address + b.size;
            }
            return next;
        } finally {
            config.write(COMMAND, 2, command);
        }
    }

    // ---- raw access for probes ----

    public PciConfigSpace config() {
        return config;
    }

    /** The memory bus at absolute addresses, as given to {@link #probe}. */
    public MmioBus bus() {
        return bus;
    }

    public int vendorId() {
        return vendorId;
    }

    public int pciDeviceId() {
        return pciDeviceId;
    }

    /** Every vendor-specific capability on the list, in list order, including ones the transport ignored. */
    public List<Capability> capabilities() {
        return capabilities;
    }

    /** Every capability on the list, in list order, whatever its id. */
    public List<ListEntry> capabilityList() {
        return capabilityList;
    }

    /** The vendor-specific capabilities of this cfg_type, in list order, usable or not. */
    public List<Capability> capabilities(int cfgType) {
        return capabilities.stream().filter(c -> c.cfgType() == cfgType).toList();
    }

    /** The structure of this cfg_type the transport uses (the first usable one), if any. */
    public Optional<Structure> structure(int cfgType) {
        return Optional.ofNullable(structures.get(cfgType));
    }

    /** The first PCI configuration access capability (cfg_type 5) on the list, if any. */
    public Optional<Capability> pciCfgCapability() {
        return capabilities.stream().filter(c -> c.cfgType() == CAP_PCI_CFG).findFirst();
    }

    /** The function's MSI-X capability (the first on the list), if it has one. */
    public Optional<Msix> msix() {
        return Optional.ofNullable(msix);
    }

    /** Writes config_msix_vector and returns what it reads back: the vector, or NO_VECTOR when mapping failed. */
    public int mapConfigVector(int vector) {
        common(Common.CONFIG_MSIX_VECTOR, 2, vector & 0xffff);
        configVector = (int) common(Common.CONFIG_MSIX_VECTOR, 2);
        return configVector;
    }

    /** Writes the queue's queue_msix_vector and returns what it reads back (§4.1.5.1.2.2: the driver checks). */
    public int mapQueueVector(int queue, int vector) {
        selectQueue(queue);
        common(Common.QUEUE_MSIX_VECTOR, 2, vector & 0xffff);
        int readBack = (int) common(Common.QUEUE_MSIX_VECTOR, 2);
        queueVectors.put(queue, readBack);
        return readBack;
    }

    public long notifyOffMultiplier() {
        return notifyOffMultiplier;
    }

    /** The common configuration structure, offsets relative to its start (use {@link Common} for fields). */
    public MmioBus commonCfg() {
        long base = common.address();
        return new MmioBus() {
            @Override
            public long read(long offset, int width) {
                return bus.read(base + offset, width);
            }

            @Override
            public void write(long offset, int width, long value) {
                bus.write(base + offset, width, value);
            }
        };
    }

    /**
     * Where queue {@code queue} is notified: notify base + queue_notify_off × notify_off_multiplier (§4.1.4.4).
     * Reads queue_notify_off through queue_select the first time, then remembers it until a reset.
     *
     * @throws PciLayoutException when the address falls outside the notification structure
     */
    public long notifyAddress(int queue) {
        Long cached = notifyAddresses.get(queue);
        if (cached != null) {
            return cached;
        }
        selectQueue(queue);
        long off = common(Common.QUEUE_NOTIFY_OFF, 2);
        long byteOffset = off * notifyOffMultiplier;
        if (byteOffset + 2 > notify.length()) {
            throw new PciLayoutException(String.format("queue %d: queue_notify_off %d x notify_off_multiplier %d = "
                    + "byte 0x%x, but the notification structure (%s) is 0x%x bytes long", queue, off,
                    notifyOffMultiplier, byteOffset, notify.capability(), notify.length()));
        }
        long address = notify.address() + byteOffset;
        notifyAddresses.put(queue, address);
        return address;
    }

    // ---- Transport ----

    /** Virtio device id: from a modern PCI device id, or the subsystem id of a transitional one; else 0. */
    @Override
    public int deviceId() {
        if (pciDeviceId >= MODERN_DEVICE_ID_BASE && pciDeviceId <= 0x107f) {
            return pciDeviceId - MODERN_DEVICE_ID_BASE;
        }
        if (pciDeviceId >= 0x1000 && pciDeviceId <= 0x103f) {
            return subsystemId;
        }
        return 0;
    }

    @Override
    public int status() {
        return (int) common(Common.DEVICE_STATUS, 1);
    }

    @Override
    public void setStatus(int status) {
        common(Common.DEVICE_STATUS, 1, status & 0xff);
        if (status == 0) {
            notifyAddresses.clear();
            configVector = Common.NO_VECTOR;
            queueVectors.clear();
        }
    }

    @Override
    public FeatureSet deviceFeatures() {
        long[] words = new long[4];
        for (int sel = 0; sel < 4; sel++) {
            common(Common.DEVICE_FEATURE_SELECT, 4, sel);
            words[sel] = common(Common.DEVICE_FEATURE, 4);
        }
        return FeatureSet.ofWords(words);
    }

    @Override
    public void setDriverFeatures(FeatureSet features) {
        for (int sel = 0; sel < 4; sel++) {
            common(Common.DRIVER_FEATURE_SELECT, 4, sel);
            common(Common.DRIVER_FEATURE, 4, features.word(sel));
        }
    }

    /** queue_size of the queue: the maximum until the driver writes a smaller size, 0 for a missing queue. */
    @Override
    public int queueMaxSize(int queue) {
        selectQueue(queue);
        return (int) common(Common.QUEUE_SIZE, 2);
    }

    @Override
    public void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea) {
        selectQueue(queue);
        common(Common.QUEUE_SIZE, 2, size & 0xffff);
        writePair(Common.QUEUE_DESC, descriptorArea);
        writePair(Common.QUEUE_DRIVER, driverArea);
        writePair(Common.QUEUE_DEVICE, deviceArea);
        notifyAddress(queue);
    }

    private void writePair(int low, long value) {
        common(low, 4, value & 0xffffffffL);
        common(low + 4, 4, value >>> 32);
    }

    /** Writes queue_enable. The spec forbids drivers to write 0 there; a probe may still do it on purpose. */
    @Override
    public void setQueueReady(int queue, boolean ready) {
        selectQueue(queue);
        common(Common.QUEUE_ENABLE, 2, ready ? 1 : 0);
    }

    @Override
    public boolean queueReady(int queue) {
        selectQueue(queue);
        return (common(Common.QUEUE_ENABLE, 2) & 1) != 0;
    }

    @Override
    public boolean queueResetSupported() {
        return true;
    }

    @Override
    public void resetQueue(int queue) {
        selectQueue(queue);
        common(Common.QUEUE_RESET, 2, 1);
    }

    @Override
    public boolean queueResetPending(int queue) {
        selectQueue(queue);
        return (common(Common.QUEUE_RESET, 2) & 1) != 0;
    }

    /** Writes the queue index, 16 bits wide, to the queue's notify address (no NOTIFICATION_DATA). */
    @Override
    public void notifyQueue(int queue) {
        bus.write(notifyAddress(queue), 2, queue & 0xffff);
    }

    /**
     * INTx style: one 8-bit read of the ISR status, which the device clears by that read. With MSI-X delivering:
     * the configuration change cause if config_msix_vector's message arrived, the used buffer cause if the message
     * of a vector some queue is mapped to did.
     */
    @Override
    public int takeInterrupts() {
        if (msix == null || !msix.delivering()) {
            return (int) bus.read(isr.address(), 1);
        }
        BitSet fired = msix.takeMessages();
        int causes = configVector != Common.NO_VECTOR && fired.get(configVector) ? ISR_CONFIG : 0;
        for (int vector : queueVectors.values()) {
            if (vector != Common.NO_VECTOR && fired.get(vector)) {
                causes |= ISR_QUEUE;
            }
        }
        return causes;
    }

    @Override
    public int configGeneration() {
        return (int) common(Common.CONFIG_GENERATION, 1);
    }

    @Override
    public long readConfig(int offset, int width) {
        return bus.read(deviceConfigAddress(offset, width), width);
    }

    @Override
    public void writeConfig(int offset, int width, long value) {
        bus.write(deviceConfigAddress(offset, width), width, value);
    }

    /** The bus address of an access inside the device-specific configuration structure, checked. */
    private long deviceConfigAddress(int offset, int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("config access width " + width);
        }
        if (device == null) {
            throw new PciLayoutException("the device presents no device-specific configuration structure (cfg_type 4); "
                    + "vendor capabilities: " + capabilities);
        }
        if (offset < 0 || offset + width > device.length()) {
            throw new IllegalArgumentException(String.format("config access of %d bytes at 0x%x is outside the "
                    + "0x%x-byte device configuration structure", width, offset, device.length()));
        }
        return device.address() + offset;
    }

    // ---- internals ----

    private void selectQueue(int queue) {
        common(Common.QUEUE_SELECT, 2, queue & 0xffff);
    }

    private long common(int offset, int width) {
        return bus.read(common.address() + offset, width);
    }

    private void common(int offset, int width, long value) {
        bus.write(common.address() + offset, width, value);
    }

    private static String typeName(int cfgType) {
        return switch (cfgType) {
            case CAP_COMMON_CFG -> "common configuration";
            case CAP_NOTIFY_CFG -> "notification";
            case CAP_ISR_CFG -> "ISR status";
            case CAP_DEVICE_CFG -> "device-specific configuration";
            case CAP_PCI_CFG -> "PCI configuration access";
            default -> "cfg_type " + cfgType;
        };
    }

    /** Smallest structure length the driver can work with. */
    private static long minimumLength(int cfgType) {
        return switch (cfgType) {
            case CAP_COMMON_CFG -> Common.MIN_LENGTH;
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
    private Structure choose(int cfgType, Bar[] bars, List<String> ignored) {
        for (Capability c : capabilities) {
            if (c.cfgType() != cfgType) {
                continue;
            }
            if (c.bar() > 5) {
                ignored.add(c + " names reserved BAR " + c.bar());
                continue;
            }
            Bar b = bars[c.bar()];
            if (b.io) {
                ignored.add(String.format("%s is in I/O BAR %d (reads 0x%08x); only memory BARs are used", c, b.index, b.raw));
                continue;
            }
            String where = String.format("the %s capability %s", typeName(cfgType), c);
            if (b.upperHalfOf >= 0) {
                throw new PciLayoutException(String.format("%s names BAR %d, the upper half of 64-bit BAR %d",
                        where, b.index, b.upperHalfOf));
            }
            if (b.problem != null) {
                throw new PciLayoutException(String.format("%s names BAR %d (reads 0x%08x), which %s", where, b.index,
                        b.raw, b.problem));
            }
            if (b.size == 0) {
                throw new PciLayoutException(String.format("%s names BAR %d, which is not implemented "
                        + "(reads 0x%08x, size mask 0)", where, b.index, b.raw));
            }
            if (c.offset() + c.length() > b.size) {
                throw new PciLayoutException(String.format("%s ends at 0x%x, outside BAR %d of 0x%x bytes", where,
                        c.offset() + c.length(), b.index, b.size));
            }
            if (c.length() < minimumLength(cfgType)) {
                throw new PciLayoutException(String.format("%s is too short: length 0x%x, at least 0x%x needed", where,
                        c.length(), minimumLength(cfgType)));
            }
            if (cfgType == CAP_NOTIFY_CFG && c.capLen() < CAP_MIN_LEN + 4) {
                throw new PciLayoutException(String.format("%s has cap_len %d, too short for notify_off_multiplier "
                        + "(needs %d)", where, c.capLen(), CAP_MIN_LEN + 4));
            }
            if (b.address == 0) {
                throw new PciLayoutException(String.format("%s is in BAR %d, which has no address (reads 0x%08x); "
                        + "assign the BARs first (PciTransport.assignBars)", where, b.index, b.raw));
            }
            return new Structure(c, b.address + c.offset());
        }
        return null;
    }

    /**
     * Follows the list from the capabilities pointer. Each pointer must be 0 (end) or at least 0x40; its low two
     * bits are reserved and masked off, as PCI requires of software. A position seen twice is a loop.
     */
    static List<Capability> walkCapabilities(PciConfigSpace config) {
        return vendorCapabilities(config, walkList(config));
    }

    private static List<Capability> vendorCapabilities(PciConfigSpace config, List<ListEntry> list) {
        return list.stream().filter(e -> e.id() == CAP_ID_VENDOR)
                .map(e -> readVendorCapability(config, e.position())).toList();
    }

    /** The list from the capabilities pointer, checked as {@link #walkCapabilities} describes. */
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

    /** Where the MSI-X table or PBA register at {@code reg} points; BAR address and size 0 when its BIR names no usable memory BAR. */
    private static Msix.Placement placement(PciConfigSpace config, int reg, Bar[] bars) {
        int raw = config.read(reg, 4);
        int bir = raw & Msix.BIR;
        long offset = Integer.toUnsignedLong(raw & ~Msix.BIR);
        Bar b = bir < bars.length ? bars[bir] : null;
        boolean usable = b != null && !b.io && b.upperHalfOf < 0 && b.problem == null;
        return new Msix.Placement(bir, offset, usable ? b.address : 0, usable ? b.size : 0);
    }

    /** One BAR register as decoded. {@code problem} is set for a memory BAR that cannot be used. */
    private record Bar(int index, int raw, boolean io, boolean wide, long address, long size, int upperHalfOf,
            String problem) {
    }

    private static Bar[] readBars(PciConfigSpace config) {
        int command = config.read(COMMAND, 2);
        config.write(COMMAND, 2, command & ~(COMMAND_MEMORY_SPACE | COMMAND_IO_SPACE));
        try {
            return readBarsDecodeOff(config);
        } finally {
            config.write(COMMAND, 2, command);
        }
    }

    /** Decodes and sizes BAR0..5; the caller has turned decode off. Every register is restored. */
    private static Bar[] readBarsDecodeOff(PciConfigSpace config) {
        Bar[] bars = new Bar[6];
        for (int i = 0; i < 6; i++) {
            int reg = BAR0 + 4 * i;
            int raw = config.read(reg, 4);
            if ((raw & 1) != 0) {
                bars[i] = new Bar(i, raw, true, false, raw & ~3, 0, -1, null);
                continue;
            }
            int type = raw >>> 1 & 3;
            if (type == 1 || type == 3) {
                bars[i] = new Bar(i, raw, false, false, 0, 0, -1, "has the reserved memory type " + type);
                continue;
            }
            boolean wide = type == 2;
            if (wide && i == 5) {
                bars[i] = new Bar(i, raw, false, true, 0, 0, -1, "is 64-bit but has no BAR after it for the upper half");
                continue;
            }
            int rawHigh = wide ? config.read(reg + 4, 4) : 0;
            config.write(reg, 4, -1);
            if (wide) {
                config.write(reg + 4, 4, -1);
            }
            long maskLow = config.read(reg, 4) & 0xffff_fff0L;
            long maskHigh = wide ? Integer.toUnsignedLong(config.read(reg + 4, 4)) : 0xffff_ffffL;
            config.write(reg, 4, raw);
            if (wide) {
                config.write(reg + 4, 4, rawHigh);
            }
            long mask = maskHigh << 32 | maskLow;
            long size = maskLow == 0 && (!wide || maskHigh == 0) ? 0 : -mask;
            long address = Integer.toUnsignedLong(rawHigh) << 32 | raw & 0xffff_fff0L;
            String problem = size != 0 && Long.bitCount(size) != 1
                    ? String.format("reads back the size mask 0x%x, not a run of ones from the top", mask) : null;
            bars[i] = new Bar(i, raw, false, wide, address, size, -1, problem);
            if (wide) {
                bars[i + 1] = new Bar(i + 1, rawHigh, false, false, 0, 0, i, null);
                i++;
            }
        }
        return bars;
    }
}
