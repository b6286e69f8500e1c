package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_BAR;
import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_LENGTH;
import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_OFFSET;
import static org.virtiotck.driver.transport.pci.PciCapabilities.CAP_PCI_CFG_DATA;

import java.util.Arrays;
import java.util.Optional;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.driver.transport.pci.CommonConfig;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.driver.transport.pci.PciCapabilities;
import org.virtiotck.driver.transport.pci.PciConfigSpace;
import org.virtiotck.driver.transport.pci.PciTransport;

/**
 * A virtio-pci modern function (VIRTIO 1.2 §4.1) in front of one {@link VirtioDevice}: a type-0 PCI
 * configuration header with the virtio structure capabilities and an MSI-X capability, a 64-bit memory BAR holding
 * the structures and a 32-bit one holding the MSI-X table. Register accesses are decoded into calls on the transport-independent {@link DeviceCore}.
 *
 * <p>The two faces of the function are the two interfaces it implements. As a {@link PciConfigSpace} it is the
 * function's configuration space. As an {@link MmioBus} it is the memory bus at <em>absolute</em> bus addresses:
 * it answers only inside BAR4 and BAR1, and only while Memory Space is on and the BAR has a non-zero address; every
 * other access is unclaimed (reads all ones, writes dropped), like a master abort on a real bus. Both
 * interfaces name their methods read and write: an {@code int} offset reaches configuration space, a
 * {@code long} address the memory bus.
 *
 * <p>The BARs start unassigned (address 0) as after power-on. Whoever plays firmware sizes and places them
 * through configuration space, e.g. {@link PciTransport#assignBars}; this model never picks an address itself.
 *
 * <p>Layout, matching QEMU's virtio-pci: BAR4 is 16 KiB, 64-bit, prefetchable; common configuration at +0x0000,
 * ISR at +0x1000, device configuration at +0x2000, notifications at +0x3000 with notify_off_multiplier 4
 * and queue_notify_off = queue index. BAR1 is 4 KiB of 32-bit memory holding the MSI-X table at +0 and its
 * Pending Bit Array at +0x800 ({@link MsixTable}), one vector per queue plus one for configuration changes
 * (at least 2). A PCI configuration access capability (cfg_type 5) is present and its window works.
 *
 * <p>Interrupts (§4.1.5.3, §4.1.5.4): while MSI-X is not enabled they are INTx style, the ISR byte mirrored in the
 * Interrupt Status bit of the PCI status register. Once the driver enables MSI-X, a used buffer notification is
 * the message of the queue's queue_msix_vector and a configuration change the message of config_msix_vector,
 * NO_VECTOR sending nothing; the ISR queue bit is then unused and INTx stays deasserted. The ISR configuration
 * bit is set before every configuration change notification whatever the mode (§4.1.4.5.1). A vector mapping
 * succeeds for any vector in the table, enabled or not, as in QEMU, and a reset unmaps everything; the MSI-X
 * capability and table belong to the PCI function and keep their state across a virtio reset.
 *
 * <p>Ring processing is DMA, so a notification only reaches the device while Bus Master is on; one that arrives
 * without it is dropped, and the driver must notify again once it has turned Bus Master on.
 *
 * <p>Accesses the spec leaves undefined get a quiet answer rather than an exception, as in
 * {@link MmioDeviceModel}: common configuration fields answer only accesses of their own width and alignment
 * (others read 0 and are ignored). Accesses are serialised on this object.
 */
public class PciDeviceModel implements PciConfigSpace, MmioBus {
    public static final int VENDOR = PciTransport.VIRTIO_VENDOR_ID;
    /** Subsystem id as QEMU sets it; at least 0x40, as non-transitional devices should have. */
    public static final int SUBSYSTEM = 0x1100;
    public static final int REVISION = 1;

    public static final int BAR_INDEX = 4;
    public static final long BAR_SIZE = 0x4000;
    public static final long COMMON_OFFSET = 0x0000;
    public static final long ISR_OFFSET = 0x1000;
    public static final long DEVICE_OFFSET = 0x2000;
    public static final long NOTIFY_OFFSET = 0x3000;
    /** Length each structure's capability announces. */
    public static final long REGION_LENGTH = 0x1000;
    public static final int NOTIFY_OFF_MULTIPLIER = 4;

    /** The MSI-X BAR and where in it the table and the pending bit array are. */
    public static final int MSIX_BAR_INDEX = 1;
    public static final long MSIX_BAR_SIZE = 0x1000;
    public static final long MSIX_TABLE_OFFSET = 0;
    public static final long MSIX_PBA_OFFSET = 0x800;

    /** Positions of the capabilities in configuration space, in list order. */
    public static final int COMMON_CAP_POS = 0x40;
    public static final int ISR_CAP_POS = 0x50;
    public static final int DEVICE_CAP_POS = 0x60;
    public static final int NOTIFY_CAP_POS = 0x70;
    public static final int PCI_CFG_CAP_POS = 0x84;
    /** The MSI-X capability, last on the list as in QEMU's layout. */
    public static final int MSIX_CAP_POS = 0x98;

    private static final int CONFIG_SIZE = 0x100;
    /** Memory BAR, 64-bit (type 2), prefetchable. */
    private static final int BAR_FLAGS = 0xc;
    private static final int BAR_REG = BAR0 + 4 * BAR_INDEX;
    private static final int PCI_CFG_DATA = PCI_CFG_CAP_POS + CAP_PCI_CFG_DATA;
    private static final int MSIX_BAR_REG = BAR0 + 4 * MSIX_BAR_INDEX;
    private static final int MSIX_CONTROL = MSIX_CAP_POS + Msix.MESSAGE_CONTROL;

    private final DeviceCore core;
    /** Configuration space contents; the status register and the pci_cfg data window are computed. */
    private final byte[] regs = new byte[CONFIG_SIZE];
    /** Which bits of each configuration byte the driver may change. */
    private final byte[] writable = new byte[CONFIG_SIZE];

    private int deviceFeatureSel;
    private int driverFeatureSel;
    private int queueSel;

    private final MsixTable msix;
    private int configVector = CommonConfig.NO_VECTOR;
    private final int[] queueVectors;

    public PciDeviceModel(VirtioDevice device, GuestMemory memory) {
        this.core = new DeviceCore(device, memory, this);
        this.msix = new MsixTable(vectorCount(device), memory);
        this.queueVectors = new int[device.queueCount()];
        buildHeader(device.type());
        buildCapabilities();
        queueSizesToMaximum();
        unmapVectors();
        core.routeInterrupts(new InterruptRoute() {
            @Override
            public void usedBuffer(int queue) {
                usedBufferNotification(queue);
            }

            @Override
            public void configChange() {
                configChangeNotification();
            }
        });
    }

    /** One vector per queue and one for configuration changes, at least the 2 §4.1.5.1.2.1 asks for. */
    private static int vectorCount(VirtioDevice device) {
        return Math.min(Msix.TABLE_SIZE + 1, Math.max(2, device.queueCount() + 1));
    }

    public VirtioDevice device() {
        return core.device();
    }

    public GuestMemory memory() {
        return core.memory();
    }

    /** Why the device set DEVICE_NEEDS_RESET, while it is set: for reports, not visible to the driver. */
    public synchronized Optional<String> needsResetReason() {
        return core.needsResetReason();
    }

    /** The address BAR4 holds now (0 until assigned). */
    public synchronized long barAddress() {
        return Integer.toUnsignedLong(u32(BAR_REG + 4)) << 32 | u32(BAR_REG) & 0xffff_fff0L;
    }

    /** The address BAR1, the MSI-X table's, holds now (0 until assigned). */
    public synchronized long msixBarAddress() {
        return u32(MSIX_BAR_REG) & 0xffff_f000L;
    }

    /** Whether the MSI-X vector's pending bit is set. */
    public synchronized boolean msixPending(int vector) {
        return msix.pending(vector);
    }

    /** Class code (base class, subclass, interface) by device type, as QEMU's virtio devices present them. */
    static int classCode(DeviceType type) {
        return switch (type) {
            case BLK -> 0x010000;     // mass storage, SCSI (what QEMU's virtio-blk-pci uses)
            case NET -> 0x020000;     // network, Ethernet
            case CONSOLE -> 0x078000; // communication, other
            default -> 0xff0000;      // unassigned class
        };
    }

    private void buildHeader(DeviceType type) {
        put(VENDOR_ID, 2, VENDOR);
        put(DEVICE_ID, 2, PciTransport.MODERN_DEVICE_ID_BASE + type.id());
        put(STATUS, 2, STATUS_CAPABILITIES_LIST);
        put(REVISION_ID, 1, REVISION);
        put(CLASS_CODE, 3, classCode(type));
        put(BAR_REG, 4, BAR_FLAGS);
        put(MSIX_BAR_REG, 4, 0); // 32-bit, non-prefetchable memory
        put(SUBSYSTEM_VENDOR_ID, 2, VENDOR);
        put(SUBSYSTEM_ID, 2, SUBSYSTEM);
        put(CAPABILITIES_POINTER, 1, COMMON_CAP_POS);
        put(INTERRUPT_PIN, 1, 1); // INTA#

        // No I/O BAR, so I/O Space stays 0; Memory Space, Bus Master and INTx Disable are the driver's.
        allow(COMMAND, 2, COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE);
        // The low 14 address bits of a 16 KiB BAR read 0: that is how the driver learns the size.
        allow(BAR_REG, 4, (int) ~(BAR_SIZE - 1));
        allow(BAR_REG + 4, 4, -1);
        allow(MSIX_BAR_REG, 4, (int) ~(MSIX_BAR_SIZE - 1));
        allow(INTERRUPT_LINE, 1, 0xff);
    }

    private void buildCapabilities() {
        structureCap(COMMON_CAP_POS, ISR_CAP_POS, 16, PciCapabilities.CAP_COMMON_CFG, COMMON_OFFSET);
        structureCap(ISR_CAP_POS, DEVICE_CAP_POS, 16, PciCapabilities.CAP_ISR_CFG, ISR_OFFSET);
        structureCap(DEVICE_CAP_POS, NOTIFY_CAP_POS, 16, PciCapabilities.CAP_DEVICE_CFG, DEVICE_OFFSET);
        structureCap(NOTIFY_CAP_POS, PCI_CFG_CAP_POS, 20, PciCapabilities.CAP_NOTIFY_CFG, NOTIFY_OFFSET);
        put(NOTIFY_CAP_POS + PciCapabilities.CAP_NOTIFY_OFF_MULTIPLIER, 4, NOTIFY_OFF_MULTIPLIER);
        // The access window: bar, offset, length and data are the driver's to write (all start at 0).
        put(PCI_CFG_CAP_POS, 1, CAP_ID_VENDOR);
        put(PCI_CFG_CAP_POS + 1, 1, MSIX_CAP_POS);
        put(PCI_CFG_CAP_POS + PciCapabilities.CAP_LEN, 1, 20);
        put(PCI_CFG_CAP_POS + PciCapabilities.CAP_CFG_TYPE, 1, PciCapabilities.CAP_PCI_CFG);
        allow(PCI_CFG_CAP_POS + CAP_BAR, 1, 0xff);
        allow(PCI_CFG_CAP_POS + CAP_OFFSET, 4, -1);
        allow(PCI_CFG_CAP_POS + CAP_LENGTH, 4, -1);
        allow(PCI_CFG_DATA, 4, -1);
        put(MSIX_CAP_POS, 1, Msix.CAP_ID);
        put(MSIX_CAP_POS + 1, 1, 0);
        put(MSIX_CONTROL, 2, msix.vectors() - 1);
        allow(MSIX_CONTROL, 2, Msix.FUNCTION_MASK | Msix.ENABLE);
        // Table Offset/Table BIR and PBA Offset/PBA BIR: the offset in bits 31:3, the BAR in bits 2:0.
        put(MSIX_CAP_POS + Msix.TABLE, 4, (int) MSIX_TABLE_OFFSET | MSIX_BAR_INDEX);
        put(MSIX_CAP_POS + Msix.PBA, 4, (int) MSIX_PBA_OFFSET | MSIX_BAR_INDEX);
    }

    private void structureCap(int pos, int next, int capLen, int cfgType, long offset) {
        put(pos, 1, CAP_ID_VENDOR);
        put(pos + 1, 1, next);
        put(pos + PciCapabilities.CAP_LEN, 1, capLen);
        put(pos + PciCapabilities.CAP_CFG_TYPE, 1, cfgType);
        put(pos + CAP_BAR, 1, BAR_INDEX);
        put(pos + CAP_OFFSET, 4, (int) offset);
        put(pos + CAP_LENGTH, 4, (int) REGION_LENGTH);
    }

    private void put(int offset, int width, int value) {
        for (int i = 0; i < width; i++) {
            regs[offset + i] = (byte) (value >>> 8 * i);
        }
    }

    private void allow(int offset, int width, int mask) {
        for (int i = 0; i < width; i++) {
            writable[offset + i] = (byte) (mask >>> 8 * i);
        }
    }

    private int u32(int offset) {
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | regs[offset + i] & 0xff;
        }
        return v;
    }

    private int command() {
        return regs[COMMAND] & 0xff | (regs[COMMAND + 1] & 0xff) << 8;
    }

    /** queue_size shows each queue's maximum until the driver writes a size (§4.1.4.3). */
    private void queueSizesToMaximum() {
        for (int i = 0; i < core.device().queueCount(); i++) {
            core.queue(i).num = core.maxQueueSize();
        }
    }

    // ---- configuration space ----

    @Override
    public synchronized int read(int offset, int width) {
        checkWidth(width);
        if (overlaps(offset, width, PCI_CFG_DATA, 4)) {
            windowRead();
        }
        int v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | configByte(offset + i);
        }
        return v;
    }

    private int configByte(int pos) {
        if (pos < 0 || pos >= CONFIG_SIZE) {
            return 0; // conventional PCI: no extended configuration space
        }
        int b = regs[pos] & 0xff;
        // Without MSI-X the Interrupt Status bit mirrors "some ISR bit is set" (§4.1.4.5); with it INTx is unused.
        if (pos == STATUS && !msixEnabled() && core.interruptStatus() != 0) {
            b |= STATUS_INTERRUPT;
        }
        return b;
    }

    @Override
    public synchronized void write(int offset, int width, int value) {
        checkWidth(width);
        for (int i = 0; i < width; i++) {
            int pos = offset + i;
            if (pos >= 0 && pos < CONFIG_SIZE) {
                int mask = writable[pos] & 0xff;
                regs[pos] = (byte) (regs[pos] & ~mask | (value >>> 8 * i) & mask);
            }
        }
        if (overlaps(offset, width, PCI_CFG_DATA, 4)) {
            windowWrite();
        }
        // Enabling or unmasking MSI-X, or turning Bus Master on, lets pending messages go.
        msix.sendPending(msixMaySend());
    }

    private static boolean overlaps(int offset, int width, int start, int length) {
        return offset < start + length && offset + width > start;
    }

    /**
     * The pci_cfg window (§4.1.4.9): an access of cap.length bytes at cap.offset of cap.bar. It reaches the
     * BAR whether or not the BAR is mapped, which is what the window is for. A window that is not 1, 2 or 4
     * bytes, unaligned, or not inside BAR4 does nothing.
     */
    private boolean windowValid() {
        int bar = regs[PCI_CFG_CAP_POS + CAP_BAR] & 0xff;
        long offset = Integer.toUnsignedLong(u32(PCI_CFG_CAP_POS + CAP_OFFSET));
        long length = Integer.toUnsignedLong(u32(PCI_CFG_CAP_POS + CAP_LENGTH));
        return bar == BAR_INDEX && (length == 1 || length == 2 || length == 4) && offset % length == 0
                && offset + length <= BAR_SIZE;
    }

    private void windowRead() {
        if (!windowValid()) {
            return;
        }
        int length = u32(PCI_CFG_CAP_POS + CAP_LENGTH);
        long v = barRead(Integer.toUnsignedLong(u32(PCI_CFG_CAP_POS + CAP_OFFSET)), length);
        put(PCI_CFG_DATA, length, (int) v);
    }

    private void windowWrite() {
        if (!windowValid()) {
            return;
        }
        int length = u32(PCI_CFG_CAP_POS + CAP_LENGTH);
        long mask = length == 4 ? 0xffff_ffffL : (1L << 8 * length) - 1;
        barWrite(Integer.toUnsignedLong(u32(PCI_CFG_CAP_POS + CAP_OFFSET)), length, u32(PCI_CFG_DATA) & mask);
    }

    // ---- memory bus ----

    @Override
    public synchronized long read(long address, int width) {
        checkWidth(width);
        if (decodes(barAddress(), BAR_SIZE, address, width)) {
            return barRead(address - barAddress(), width);
        }
        if (decodes(msixBarAddress(), MSIX_BAR_SIZE, address, width)) {
            return msixBarRead(address - msixBarAddress(), width);
        }
        return width == 4 ? 0xffff_ffffL : (1L << 8 * width) - 1;
    }

    @Override
    public synchronized void write(long address, int width, long value) {
        checkWidth(width);
        long mask = width == 4 ? 0xffff_ffffL : (1L << 8 * width) - 1;
        if (decodes(barAddress(), BAR_SIZE, address, width)) {
            barWrite(address - barAddress(), width, value & mask);
        } else if (decodes(msixBarAddress(), MSIX_BAR_SIZE, address, width)) {
            msixBarWrite(address - msixBarAddress(), width, value & mask);
        }
    }

    private boolean decodes(long base, long size, long address, int width) {
        return (command() & COMMAND_MEMORY_SPACE) != 0 && base != 0
                && address >= base && address + width <= base + size;
    }

    private long msixBarRead(long offset, int width) {
        if (offset >= MSIX_PBA_OFFSET) {
            return msix.readPba(offset - MSIX_PBA_OFFSET, width);
        }
        return msix.readTable(offset - MSIX_TABLE_OFFSET, width);
    }

    private void msixBarWrite(long offset, int width, long value) {
        if (offset < MSIX_PBA_OFFSET) {
            msix.writeTable(offset - MSIX_TABLE_OFFSET, width, value, msixMaySend());
        }
    }

    // ---- interrupts ----

    private int messageControl() {
        return regs[MSIX_CONTROL] & 0xff | (regs[MSIX_CONTROL + 1] & 0xff) << 8;
    }

    /** Whether the driver has set MSI-X Enable. */
    protected final boolean msixEnabled() {
        return (messageControl() & Msix.ENABLE) != 0;
    }

    /** A function sends MSI-X messages only while enabled, not function-masked, and a bus master. */
    private boolean msixMaySend() {
        return msixEnabled() && (messageControl() & Msix.FUNCTION_MASK) == 0 && (command() & COMMAND_BUS_MASTER) != 0;
    }

    /** The vector config_msix_vector maps configuration changes to. */
    protected final int configVector() {
        return configVector;
    }

    /** The vector queue_msix_vector maps the queue's used buffer notifications to. */
    protected final int queueVector(int queue) {
        return queueVectors[queue];
    }

    /** Vector {@code vector} has an interrupt for the driver: its message goes out, or waits pending. */
    protected final void signalVector(int vector) {
        msix.signal(vector, msixMaySend());
    }

    /**
     * A used buffer notification for {@code queue} (§4.1.5.3): with MSI-X enabled the message of the queue's vector,
     * nothing for NO_VECTOR; otherwise the ISR queue bit, which asserts INTx.
     */
    protected void usedBufferNotification(int queue) {
        if (msixEnabled()) {
            if (queueVectors[queue] != CommonConfig.NO_VECTOR) {
                signalVector(queueVectors[queue]);
            }
        } else {
            core.raiseInterruptStatus(PciTransport.ISR_QUEUE);
        }
    }

    /**
     * A configuration change notification (§4.1.5.4): the ISR configuration bit first in either mode
     * (§4.1.4.5.1), then with MSI-X enabled the message of config_msix_vector, nothing for NO_VECTOR.
     */
    protected void configChangeNotification() {
        core.raiseInterruptStatus(PciTransport.ISR_CONFIG);
        if (msixEnabled() && configVector != CommonConfig.NO_VECTOR) {
            signalVector(configVector);
        }
    }

    /** A mapping holds only a vector the table has; any other reads back NO_VECTOR (§4.1.5.1.2.1). */
    private int mapped(long vector) {
        return vector < msix.vectors() ? (int) vector : CommonConfig.NO_VECTOR;
    }

    private void unmapVectors() {
        configVector = CommonConfig.NO_VECTOR;
        Arrays.fill(queueVectors, CommonConfig.NO_VECTOR);
    }

    private static void checkWidth(int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("PCI access width " + width + " is not 1, 2 or 4");
        }
    }

    /** An access at {@code offset} inside BAR4, from the memory bus or the pci_cfg window. */
    private long barRead(long offset, int width) {
        if (offset < ISR_OFFSET) {
            return commonRead((int) offset, width);
        }
        if (offset < DEVICE_OFFSET) {
            return isrRead(offset - ISR_OFFSET);
        }
        if (offset < NOTIFY_OFFSET) {
            return core.readConfig(offset - DEVICE_OFFSET, width);
        }
        return 0; // notification addresses are write-only
    }

    private void barWrite(long offset, int width, long value) {
        if (offset < ISR_OFFSET) {
            commonWrite((int) offset, width, value);
        } else if (offset >= NOTIFY_OFFSET) {
            notifyWrite(offset - NOTIFY_OFFSET, width);
        } else if (offset >= DEVICE_OFFSET) {
            core.writeConfig(offset - DEVICE_OFFSET, width, value);
        }
        // The ISR is read-only.
    }

    /** Reading the ISR byte returns the pending causes and clears them (§4.1.4.5). */
    private long isrRead(long offset) {
        if (offset != 0) {
            return 0;
        }
        int isr = core.interruptStatus() & 0xff;
        core.acknowledgeInterrupts(isr);
        return isr;
    }

    /**
     * The queue is the one whose notify address was written (notify_off = index, multiplier 4), as QEMU decodes
     * it; without VIRTIO_F_NOTIFICATION_DATA the value written carries nothing more.
     */
    private void notifyWrite(long offset, int width) {
        if (width == 1 || offset % NOTIFY_OFF_MULTIPLIER != 0) {
            return;
        }
        if ((command() & COMMAND_BUS_MASTER) == 0) {
            return; // no DMA: the device cannot read the rings
        }
        core.notifyQueue(offset / NOTIFY_OFF_MULTIPLIER);
    }

    /** Width of the common configuration field starting at {@code offset}, or 0 when none starts there. */
    private static int fieldWidth(int offset) {
        if (offset < 0 || offset >= CommonConfig.LENGTH) {
            return 0;
        }
        if (offset < CommonConfig.CONFIG_MSIX_VECTOR) {
            return offset % 4 == 0 ? 4 : 0;
        }
        if (offset == CommonConfig.DEVICE_STATUS || offset == CommonConfig.CONFIG_GENERATION) {
            return 1;
        }
        if (offset >= CommonConfig.QUEUE_DESC && offset < CommonConfig.QUEUE_NOTIFY_DATA) {
            return offset % 4 == 0 ? 4 : 0;
        }
        return offset % 2 == 0 ? 2 : 0;
    }

    private long commonRead(int offset, int width) {
        if (fieldWidth(offset) != width) {
            return 0;
        }
        QueueRegisters q = core.queue(queueSel);
        return switch (offset) {
            case CommonConfig.DEVICE_FEATURE_SELECT -> Integer.toUnsignedLong(deviceFeatureSel);
            case CommonConfig.DEVICE_FEATURE -> core.deviceFeatureWord(deviceFeatureSel);
            case CommonConfig.DRIVER_FEATURE_SELECT -> Integer.toUnsignedLong(driverFeatureSel);
            case CommonConfig.DRIVER_FEATURE -> core.driverFeatureWord(driverFeatureSel);
            case CommonConfig.CONFIG_MSIX_VECTOR -> configVector;
            case CommonConfig.QUEUE_MSIX_VECTOR -> q == null ? CommonConfig.NO_VECTOR : queueVectors[queueSel];
            case CommonConfig.NUM_QUEUES -> core.device().queueCount();
            case CommonConfig.DEVICE_STATUS -> core.status();
            case CommonConfig.CONFIG_GENERATION -> core.configGeneration() & 0xff;   // an 8-bit register
            case CommonConfig.QUEUE_SELECT -> queueSel;
            case CommonConfig.QUEUE_SIZE -> q == null ? 0 : q.num;
            case CommonConfig.QUEUE_ENABLE -> q != null && q.ready ? 1 : 0;
            case CommonConfig.QUEUE_NOTIFY_OFF -> q == null ? 0 : queueSel;
            case CommonConfig.QUEUE_DESC -> q == null ? 0 : q.descArea & 0xffff_ffffL;
            case CommonConfig.QUEUE_DESC + 4 -> q == null ? 0 : q.descArea >>> 32;
            case CommonConfig.QUEUE_DRIVER -> q == null ? 0 : q.driverArea & 0xffff_ffffL;
            case CommonConfig.QUEUE_DRIVER + 4 -> q == null ? 0 : q.driverArea >>> 32;
            case CommonConfig.QUEUE_DEVICE -> q == null ? 0 : q.deviceArea & 0xffff_ffffL;
            case CommonConfig.QUEUE_DEVICE + 4 -> q == null ? 0 : q.deviceArea >>> 32;
            // A queue reset completes within the write (DeviceCore#writeQueueReset), so none is ever in progress.
            case CommonConfig.QUEUE_RESET -> 0;
            // queue_notify_data belongs to a feature these devices do not offer.
            default -> 0;
        };
    }

    private void commonWrite(int offset, int width, long v) {
        if (fieldWidth(offset) != width) {
            return;
        }
        QueueRegisters q = core.queue(queueSel);
        switch (offset) {
            case CommonConfig.DEVICE_FEATURE_SELECT -> deviceFeatureSel = (int) v;
            case CommonConfig.DRIVER_FEATURE_SELECT -> driverFeatureSel = (int) v;
            case CommonConfig.DRIVER_FEATURE -> core.writeDriverFeatureWord(driverFeatureSel, v);
            case CommonConfig.DEVICE_STATUS -> writeStatus(v);
            case CommonConfig.QUEUE_SELECT -> queueSel = (int) v;
            case CommonConfig.CONFIG_MSIX_VECTOR -> configVector = mapped(v);
            case CommonConfig.QUEUE_MSIX_VECTOR -> {
                if (q != null) {
                    queueVectors[queueSel] = mapped(v);
                }
            }
            case CommonConfig.QUEUE_SIZE -> {
                if (DeviceCore.configurable(q)) {
                    q.num = (int) v;
                }
            }
            // Only 1 enables; the driver must never write 0 (§4.1.4.3.2), so a 0 changes nothing.
            case CommonConfig.QUEUE_ENABLE -> {
                if (v == 1) {
                    core.writeQueueReady(queueSel, 1);
                }
            }
            case CommonConfig.QUEUE_DESC, CommonConfig.QUEUE_DESC + 4, CommonConfig.QUEUE_DRIVER, CommonConfig.QUEUE_DRIVER + 4,
                    CommonConfig.QUEUE_DEVICE, CommonConfig.QUEUE_DEVICE + 4 -> {
                if (DeviceCore.configurable(q)) {
                    writeQueueAddress(q, offset, v);
                }
            }
            case CommonConfig.QUEUE_RESET -> resetQueue(v);
            default -> {
                // Read-only fields.
            }
        }
    }

    private static void writeQueueAddress(QueueRegisters q, int offset, long v) {
        switch (offset) {
            case CommonConfig.QUEUE_DESC -> q.descArea = QueueRegisters.withLow(q.descArea, v);
            case CommonConfig.QUEUE_DESC + 4 -> q.descArea = QueueRegisters.withHigh(q.descArea, v);
            case CommonConfig.QUEUE_DRIVER -> q.driverArea = QueueRegisters.withLow(q.driverArea, v);
            case CommonConfig.QUEUE_DRIVER + 4 -> q.driverArea = QueueRegisters.withHigh(q.driverArea, v);
            case CommonConfig.QUEUE_DEVICE -> q.deviceArea = QueueRegisters.withLow(q.deviceArea, v);
            case CommonConfig.QUEUE_DEVICE + 4 -> q.deviceArea = QueueRegisters.withHigh(q.deviceArea, v);
            default -> throw new IllegalStateException("not a queue address field: 0x" + Integer.toHexString(offset));
        }
    }

    /** A queue reset also returns queue_size to the maximum, as a device reset does, for the driver to read again. */
    private void resetQueue(long v) {
        if (core.writeQueueReset(queueSel, v)) {
            core.queue(queueSel).num = core.maxQueueSize();
        }
    }

    /** A reset also returns the selectors to 0, every queue_size to its maximum, and unmaps every vector. */
    private void writeStatus(long v) {
        core.writeStatus(v);
        if (v == 0) {
            deviceFeatureSel = 0;
            driverFeatureSel = 0;
            queueSel = 0;
            queueSizesToMaximum();
            unmapVectors();
        }
    }
}
