package org.virtiotck.driver.transport.pci;

import static org.virtiotck.driver.transport.pci.PciCapabilities.*;
import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.pci.PciCapabilities.Capability;
import org.virtiotck.driver.transport.pci.PciCapabilities.ListEntry;
import org.virtiotck.driver.transport.pci.VirtioStructures.Structure;

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

    /** ISR status bits (§4.1.4.5), which are also the causes {@link #takeInterrupts} reports. */
    public static final int ISR_QUEUE = 1;
    public static final int ISR_CONFIG = 2;

    private final PciConfigSpace config;
    private final MmioBus bus;
    private final int vendorId;
    private final int pciDeviceId;
    private final int subsystemId;
    private final PciCapabilities capabilities;
    private final VirtioStructures structures;
    private final Structure common;
    private final Structure notify;
    private final Structure isr;
    private final Structure device;
    private final long notifyOffMultiplier;
    private final Map<Integer, Long> notifyAddresses = new HashMap<>();
    private final Msix msix;
    /** The vector mappings that read back, as this transport made them; a reset unmaps them all. */
    private int configVector = CommonConfig.NO_VECTOR;
    private final Map<Integer, Integer> queueVectors = new HashMap<>();

    private PciTransport(PciConfigSpace config, MmioBus bus) {
        this.config = config;
        this.bus = bus;
        this.vendorId = config.read(VENDOR_ID, 2);
        this.pciDeviceId = config.read(DEVICE_ID, 2);
        this.subsystemId = config.read(SUBSYSTEM_ID, 2);
        PciBars bars = PciBars.read(config);
        this.capabilities = PciCapabilities.walk(config);
        this.structures = VirtioStructures.choose(capabilities.vendor(), bars);
        this.common = structures.get(CAP_COMMON_CFG).orElseThrow();
        this.notify = structures.get(CAP_NOTIFY_CFG).orElseThrow();
        this.isr = structures.get(CAP_ISR_CFG).orElseThrow();
        this.device = structures.get(CAP_DEVICE_CFG).orElse(null);
        this.notifyOffMultiplier = Integer.toUnsignedLong(
                config.read(notify.capability().position() + CAP_NOTIFY_OFF_MULTIPLIER, 4));
        this.msix = capabilities.list().stream().filter(e -> e.id() == Msix.CAP_ID).findFirst()
                .map(e -> new Msix(config, bus, e.position(), bars.placement(config, e.position() + Msix.TABLE),
                        bars.placement(config, e.position() + Msix.PBA)))
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
        return PciBars.assign(config, base);
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
        return capabilities.vendor();
    }

    /** Every capability on the list, in list order, whatever its id. */
    public List<ListEntry> capabilityList() {
        return capabilities.list();
    }

    /** The vendor-specific capabilities of this cfg_type, in list order, usable or not. */
    public List<Capability> capabilities(int cfgType) {
        return capabilities.vendor().stream().filter(c -> c.cfgType() == cfgType).toList();
    }

    /** The structure of this cfg_type the transport uses (the first usable one), if any. */
    public Optional<Structure> structure(int cfgType) {
        return structures.get(cfgType);
    }

    /** The first PCI configuration access capability (cfg_type 5) on the list, if any. */
    public Optional<Capability> pciCfgCapability() {
        return capabilities.vendor().stream().filter(c -> c.cfgType() == CAP_PCI_CFG).findFirst();
    }

    /** The function's MSI-X capability (the first on the list), if it has one. */
    public Optional<Msix> msix() {
        return Optional.ofNullable(msix);
    }

    /** Writes config_msix_vector and returns what it reads back: the vector, or NO_VECTOR when mapping failed. */
    public int mapConfigVector(int vector) {
        common(CommonConfig.CONFIG_MSIX_VECTOR, 2, vector & 0xffff);
        configVector = (int) common(CommonConfig.CONFIG_MSIX_VECTOR, 2);
        return configVector;
    }

    /** Writes the queue's queue_msix_vector and returns what it reads back (§4.1.5.1.2.2: the driver checks). */
    public int mapQueueVector(int queue, int vector) {
        selectQueue(queue);
        common(CommonConfig.QUEUE_MSIX_VECTOR, 2, vector & 0xffff);
        int readBack = (int) common(CommonConfig.QUEUE_MSIX_VECTOR, 2);
        queueVectors.put(queue, readBack);
        return readBack;
    }

    public long notifyOffMultiplier() {
        return notifyOffMultiplier;
    }

    /** The common configuration structure, offsets relative to its start (use {@link CommonConfig} for fields). */
    public MmioBus commonCfg() {
        return bus.window(common.address());
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
        long off = common(CommonConfig.QUEUE_NOTIFY_OFF, 2);
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
        return (int) common(CommonConfig.DEVICE_STATUS, 1);
    }

    @Override
    public void setStatus(int status) {
        common(CommonConfig.DEVICE_STATUS, 1, status & 0xff);
        if (status == 0) {
            notifyAddresses.clear();
            configVector = CommonConfig.NO_VECTOR;
            queueVectors.clear();
        }
    }

    @Override
    public FeatureSet deviceFeatures() {
        long[] words = new long[4];
        for (int sel = 0; sel < 4; sel++) {
            common(CommonConfig.DEVICE_FEATURE_SELECT, 4, sel);
            words[sel] = common(CommonConfig.DEVICE_FEATURE, 4);
        }
        return FeatureSet.ofWords(words);
    }

    @Override
    public void setDriverFeatures(FeatureSet features) {
        for (int sel = 0; sel < 4; sel++) {
            common(CommonConfig.DRIVER_FEATURE_SELECT, 4, sel);
            common(CommonConfig.DRIVER_FEATURE, 4, features.word(sel));
        }
    }

    /** queue_size of the queue: the maximum until the driver writes a smaller size, 0 for a missing queue. */
    @Override
    public int queueMaxSize(int queue) {
        selectQueue(queue);
        return (int) common(CommonConfig.QUEUE_SIZE, 2);
    }

    @Override
    public void configureQueue(int queue, int size, long descriptorArea, long driverArea, long deviceArea) {
        selectQueue(queue);
        common(CommonConfig.QUEUE_SIZE, 2, size & 0xffff);
        writePair(CommonConfig.QUEUE_DESC, descriptorArea);
        writePair(CommonConfig.QUEUE_DRIVER, driverArea);
        writePair(CommonConfig.QUEUE_DEVICE, deviceArea);
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
        common(CommonConfig.QUEUE_ENABLE, 2, ready ? 1 : 0);
    }

    @Override
    public boolean queueReady(int queue) {
        selectQueue(queue);
        return (common(CommonConfig.QUEUE_ENABLE, 2) & 1) != 0;
    }

    @Override
    public boolean queueResetSupported() {
        return true;
    }

    @Override
    public void resetQueue(int queue) {
        selectQueue(queue);
        common(CommonConfig.QUEUE_RESET, 2, 1);
    }

    @Override
    public boolean queueResetPending(int queue) {
        selectQueue(queue);
        return (common(CommonConfig.QUEUE_RESET, 2) & 1) != 0;
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
        int causes = configVector != CommonConfig.NO_VECTOR && fired.get(configVector) ? ISR_CONFIG : 0;
        for (int vector : queueVectors.values()) {
            if (vector != CommonConfig.NO_VECTOR && fired.get(vector)) {
                causes |= ISR_QUEUE;
            }
        }
        return causes;
    }

    @Override
    public int configGeneration() {
        return (int) common(CommonConfig.CONFIG_GENERATION, 1);
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
                    + "vendor capabilities: " + capabilities.vendor());
        }
        if (offset < 0 || offset + width > device.length()) {
            throw new IllegalArgumentException(String.format("config access of %d bytes at 0x%x is outside the "
                    + "0x%x-byte device configuration structure", width, offset, device.length()));
        }
        return device.address() + offset;
    }

    // ---- internals ----

    private void selectQueue(int queue) {
        common(CommonConfig.QUEUE_SELECT, 2, queue & 0xffff);
    }

    private long common(int offset, int width) {
        return bus.read(common.address() + offset, width);
    }

    private void common(int offset, int width, long value) {
        bus.write(common.address() + offset, width, value);
    }
}
