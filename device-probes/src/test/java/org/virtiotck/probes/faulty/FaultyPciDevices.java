package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.pci.CommonConfig.*;
import static org.virtiotck.harness.inproc.PciDeviceModel.MSIX_CAP_POS;
import static org.virtiotck.harness.inproc.PciDeviceModel.NOTIFY_CAP_POS;
import static org.virtiotck.harness.inproc.PciDeviceModel.PCI_CFG_CAP_POS;

import java.util.HashSet;
import java.util.Set;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.pci.Msix;
import org.virtiotck.driver.transport.pci.PciCapabilities;
import org.virtiotck.driver.transport.pci.PciConfigSpace;
import org.virtiotck.driver.transport.pci.PciTransport;
import org.virtiotck.harness.inproc.NetDevice;
import org.virtiotck.harness.inproc.PciDeviceModel;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * The reference blk device behind a virtio-pci function with one deviation planted in the function (VIRTIO 1.2
 * §4.1), named "faulty-blk-pci-&lt;fault&gt;". {@code FaultyPciDevicesTest} shows which probe must FAIL on each,
 * under {@code transport=pci}.
 */
public final class FaultyPciDevices {
    /** Where a fault appends a capability: after the reference list, which ends with the MSI-X capability. */
    private static final int EXTRA_CAP_POS = 0xa4;
    private static final int PCI_CFG_DATA = PCI_CFG_CAP_POS + PciCapabilities.CAP_PCI_CFG_DATA;

    private FaultyPciDevices() {
    }

    /** A faulty blk whose only fault is in the PCI function {@link #function} builds. */
    private abstract static class FaultyPciBlk extends FaultyBlk {
        FaultyPciBlk(String fault) {
            super("pci-" + fault);
        }

        abstract PciDeviceModel function(VirtioDevice device, GuestMemory memory);

        @Override
        public PciDeviceModel pciFunction(VirtioDevice device, GuestMemory memory) {
            return function(device, memory);
        }
    }

    /** The reference function with one more virtio structure capability; the transport uses the first of each type. */
    private static PatchedPciFunction withExtraCapability(VirtioDevice device, GuestMemory memory, int capLen, int cfgType,
            long offset, long length) {
        byte[] cap = new byte[capLen];
        cap[PciCapabilities.CAP_BAR] = (byte) PciDeviceModel.BAR_INDEX;
        for (int i = 0; i < 4; i++) {
            cap[PciCapabilities.CAP_OFFSET + i] = (byte) (offset >>> 8 * i);
            cap[PciCapabilities.CAP_LENGTH + i] = (byte) (length >>> 8 * i);
        }
        return withExtraCapability(device, memory, cfgType, cap);
    }

    /** The reference function with one more vendor-specific capability at the end of the list, {@code cap} from byte 0. */
    private static PatchedPciFunction withExtraCapability(VirtioDevice device, GuestMemory memory, int cfgType, byte[] cap) {
        cap[0] = PciConfigSpace.CAP_ID_VENDOR;
        cap[1] = 0;
        cap[PciCapabilities.CAP_LEN] = (byte) cap.length;
        cap[PciCapabilities.CAP_CFG_TYPE] = (byte) cfgType;
        return new PatchedPciFunction(device, memory) {
            @Override
            protected int configByte(int pos, int correct) {
                if (pos == MSIX_CAP_POS + 1) {
                    return EXTRA_CAP_POS;
                }
                return pos >= EXTRA_CAP_POS && pos < EXTRA_CAP_POS + cap.length ? cap[pos - EXTRA_CAP_POS] & 0xff : correct;
            }
        };
    }

    /** A vendor data capability (cfg_type 9) of 18 bytes that names the virtio vendor, 0x1AF4. */
    public static final class VirtioVendorData extends FaultyPciBlk {
        public VirtioVendorData() {
            super("virtio-vendor-data");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            byte[] cap = new byte[18];
            cap[4] = (byte) PciTransport.VIRTIO_VENDOR_ID;
            cap[5] = (byte) (PciTransport.VIRTIO_VENDOR_ID >>> 8);
            return withExtraCapability(device, memory, 9, cap);
        }
    }

    /** PCI Vendor ID 0x1AF5. */
    public static final class WrongVendor extends FaultyPciBlk {
        public WrongVendor() {
            super("wrong-vendor");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == PciConfigSpace.VENDOR_ID ? 0xf5 : correct;
                }
            };
        }
    }

    /** PCI Device ID 0x1043, a console's, on a blk device. */
    public static final class WrongDeviceId extends FaultyPciBlk {
        public WrongDeviceId() {
            super("wrong-device-id");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == PciConfigSpace.DEVICE_ID ? 0x43 : correct;
                }
            };
        }
    }

    /** Revision ID 0 on a non-transitional device ID. */
    public static final class RevisionZero extends FaultyPciBlk {
        public RevisionZero() {
            super("revision-zero");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == PciConfigSpace.REVISION_ID ? 0 : correct;
                }
            };
        }
    }

    /** Subsystem Device ID 0x0002, the legacy-style virtio device ID. */
    public static final class LegacySubsystem extends FaultyPciBlk {
        public LegacySubsystem() {
            super("legacy-subsystem");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == PciConfigSpace.SUBSYSTEM_ID ? 2 : pos == PciConfigSpace.SUBSYSTEM_ID + 1 ? 0 : correct;
                }
            };
        }
    }

    /** A second common configuration capability at BAR offset 2. */
    public static final class MisalignedCommon extends FaultyPciBlk {
        public MisalignedCommon() {
            super("misaligned-common");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return withExtraCapability(device, memory, 16, PciCapabilities.CAP_COMMON_CFG, 2, LENGTH);
        }
    }

    /** A second device configuration capability at BAR offset 0x2002. */
    public static final class MisalignedDeviceConfig extends FaultyPciBlk {
        public MisalignedDeviceConfig() {
            super("misaligned-device-config");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return withExtraCapability(device, memory, 16, PciCapabilities.CAP_DEVICE_CFG, PciDeviceModel.DEVICE_OFFSET + 2, 0x20);
        }
    }

    /** A second PCI configuration access capability whose cap_len (16) leaves out pci_cfg_data. */
    public static final class ShortPciCfgCap extends FaultyPciBlk {
        public ShortPciCfgCap() {
            super("short-pci-cfg-cap");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return withExtraCapability(device, memory, 16, PciCapabilities.CAP_PCI_CFG, 0, 0);
        }
    }

    /** A second notification capability one byte long (its notify_off_multiplier is 0). */
    public static final class OneByteNotify extends FaultyPciBlk {
        public OneByteNotify() {
            super("one-byte-notify");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return withExtraCapability(device, memory, 20, PciCapabilities.CAP_NOTIFY_CFG, PciDeviceModel.NOTIFY_OFFSET, 1);
        }
    }

    /** notify_off_multiplier 6: not a power of 2. */
    public static final class NotifyMultiplierSix extends FaultyPciBlk {
        public NotifyMultiplierSix() {
            super("notify-multiplier-six");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    int at = pos - (NOTIFY_CAP_POS + PciCapabilities.CAP_NOTIFY_OFF_MULTIPLIER);
                    return at == 0 ? 6 : at > 0 && at < 4 ? 0 : correct;
                }
            };
        }
    }

    /** queue_notify_off 0x800: times the multiplier 4, past the 0x1000-byte notification structure. */
    public static final class NotifyOffPastEnd extends FaultyPciBlk {
        public NotifyOffPastEnd() {
            super("notify-off-past-end");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == QUEUE_NOTIFY_OFF ? 0x800 : correct;
                }
            };
        }
    }

    /** Ignores device_feature_select: device_feature always shows bits 0..31. */
    public static final class FeatureSelectIgnored extends FaultyPciBlk {
        public FeatureSelectIgnored() {
            super("feature-select-ignored");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    return field != DEVICE_FEATURE_SELECT;
                }
            };
        }
    }

    /** Ignores driver_feature_select: one driver_feature window for every select. */
    public static final class DriverSelectIgnored extends FaultyPciBlk {
        public DriverSelectIgnored() {
            super("driver-select-ignored");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    return field != DRIVER_FEATURE_SELECT;
                }
            };
        }
    }

    /** Resets on a write of 0, but device_status goes on reading the status from before until the next write. */
    public static final class StatusStuckAfterReset extends FaultyPciBlk {
        public StatusStuckAfterReset() {
            super("status-stuck-after-reset");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                private long stale;

                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    if (field == DEVICE_STATUS) {
                        stale = value == 0 ? correctCommon(DEVICE_STATUS, 1) : 0;
                    }
                    return true;
                }

                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == DEVICE_STATUS && stale != 0 ? stale : correct;
                }
            };
        }
    }

    /** queue_enable of a queue once enabled reads 1 forever, reset or not. */
    public static final class QueueEnableSticky extends FaultyPciBlk {
        public QueueEnableSticky() {
            super("queue-enable-sticky");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                private final Set<Long> enabled = new HashSet<>();

                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    if (field == QUEUE_ENABLE && value == 1) {
                        enabled.add(correctCommon(QUEUE_SELECT, 2));
                    }
                    return true;
                }

                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == QUEUE_ENABLE && enabled.contains(correctCommon(QUEUE_SELECT, 2)) ? 1 : correct;
                }
            };
        }
    }

    /** queue_size shows three quarters of the maximum (192 of 256), not a power of 2. */
    public static final class QueueSizeNotPowerOfTwo extends FaultyPciBlk {
        public QueueSizeNotPowerOfTwo() {
            super("queue-size-not-power-of-two");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == QUEUE_SIZE && correct >= 4 ? correct - correct / 4 : correct;
                }
            };
        }
    }

    /** queue_size reads 256 for every queue_select past num_queues. */
    public static final class AbsentQueueHasSize extends FaultyPciBlk {
        public AbsentQueueHasSize() {
            super("absent-queue-has-size");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == QUEUE_SIZE && correctCommon(QUEUE_SELECT, 2) >= correctCommon(NUM_QUEUES, 2) ? 256 : correct;
                }
            };
        }
    }

    /** Takes a write of the low half of a queue address as the whole address: the high half becomes 0. */
    public static final class LowWriteClearsHigh extends FaultyPciBlk {
        public LowWriteClearsHigh() {
            super("low-write-clears-high");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    if (field == QUEUE_DESC || field == QUEUE_DRIVER || field == QUEUE_DEVICE) {
                        writeCommon(field, 4, value);
                        writeCommon(field + 4, 4, 0);
                        return false;
                    }
                    return true;
                }
            };
        }
    }

    /** Resets, except that queue 0 keeps the size the driver chose instead of showing its maximum again. */
    public static final class ResetKeepsQueueSize extends FaultyPciBlk {
        public ResetKeepsQueueSize() {
            super("reset-keeps-queue-size");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected boolean commonWrite(int field, int width, long value) {
                    if (field != DEVICE_STATUS || value != 0) {
                        return true;
                    }
                    writeCommon(QUEUE_SELECT, 2, 0);
                    long size = correctCommon(QUEUE_SIZE, 2);
                    writeCommon(DEVICE_STATUS, 1, 0);
                    writeCommon(QUEUE_SELECT, 2, 0);
                    writeCommon(QUEUE_SIZE, 2, size);
                    return false;
                }
            };
        }
    }

    /** Reading the ISR status does not clear what it showed. */
    public static final class StickyIsr extends FaultyPciBlk {
        public StickyIsr() {
            super("sticky-isr");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                private long shown;

                @Override
                protected long isrRead(long correct) {
                    shown |= correct;
                    return shown;
                }
            };
        }
    }

    /** Never sets the queue interrupt bit of the ISR status. */
    public static final class IsrWithoutQueueBit extends FaultyPciBlk {
        public IsrWithoutQueueBit() {
            super("isr-without-queue-bit");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long isrRead(long correct) {
                    return correct & ~1L;
                }
            };
        }
    }

    /** The PCI status register never shows Interrupt Status. */
    public static final class NoInterruptStatus extends FaultyPciBlk {
        public NoInterruptStatus() {
            super("no-interrupt-status");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == PciConfigSpace.STATUS ? correct & ~PciConfigSpace.STATUS_INTERRUPT : correct;
                }
            };
        }
    }

    /** The capability list goes from the notification capability to MSI-X: no PCI configuration access capability. */
    public static final class NoPciCfgCap extends FaultyPciBlk {
        public NoPciCfgCap() {
            super("no-pci-cfg-cap");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == NOTIFY_CAP_POS + 1 ? MSIX_CAP_POS : correct;
                }
            };
        }
    }

    /** pci_cfg_data always reads 0, whatever the BAR holds. */
    public static final class WindowReadsZero extends FaultyPciBlk {
        public WindowReadsZero() {
            super("window-reads-zero");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos >= PCI_CFG_DATA && pos < PCI_CFG_DATA + 4 ? 0 : correct;
                }
            };
        }
    }

    /** Writes to pci_cfg_data are dropped. */
    public static final class WindowDropsWrites extends FaultyPciBlk {
        public WindowDropsWrites() {
            super("window-drops-writes");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected boolean configWrite(int offset, int width, int value) {
                    return offset + width <= PCI_CFG_DATA || offset >= PCI_CFG_DATA + 4;
                }
            };
        }
    }

    /** config_msix_vector and queue_msix_vector read 0, mapped or not. */
    public static final class VectorsReadZero extends FaultyPciBlk {
        public VectorsReadZero() {
            super("vectors-read-zero");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == CONFIG_MSIX_VECTOR || field == QUEUE_MSIX_VECTOR ? 0 : correct;
                }
            };
        }
    }

    /** Table Size reports one vector more than the table has and the device maps: the last vector cannot be used. */
    public static final class MsixTableSizeTooBig extends FaultyPciBlk {
        public MsixTableSizeTooBig() {
            super("msix-table-size-too-big");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected int configByte(int pos, int correct) {
                    return pos == MSIX_CAP_POS + Msix.MESSAGE_CONTROL ? correct + 1 : correct;
                }
            };
        }
    }

    /** With MSI-X enabled, a queue whose vector is NO_VECTOR still interrupts, on vector 0. */
    public static final class QueueNoVectorUsesVectorZero extends FaultyPciBlk {
        public QueueNoVectorUsesVectorZero() {
            super("queue-no-vector-uses-vector-zero");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected void usedBufferNotification(int queue) {
                    if (msixEnabled() && queueVector(queue) == NO_VECTOR) {
                        signalVector(0);
                    } else {
                        super.usedBufferNotification(queue);
                    }
                }
            };
        }
    }

    /** The reference net device behind a PCI function with one deviation, "faulty-net-pci-&lt;fault&gt;": its link changes its configuration. */
    private abstract static class FaultyPciNet extends FaultyNet {
        FaultyPciNet(String fault) {
            super("pci-" + fault);
        }

        @Override
        VirtioDevice faulty(NetDevice reference) {
            return reference;
        }

        abstract PciDeviceModel function(VirtioDevice device, GuestMemory memory);

        @Override
        public PciDeviceModel pciFunction(VirtioDevice device, GuestMemory memory) {
            return function(device, memory);
        }
    }

    /** With MSI-X enabled and config_msix_vector NO_VECTOR, a configuration change still interrupts, on vector 0. */
    public static final class ConfigNoVectorUsesVectorZero extends FaultyPciNet {
        public ConfigNoVectorUsesVectorZero() {
            super("config-no-vector-uses-vector-zero");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected void configChangeNotification() {
                    super.configChangeNotification();
                    if (msixEnabled() && configVector() == NO_VECTOR) {
                        signalVector(0);
                    }
                }
            };
        }
    }

    /** config_generation reads 0 whatever changed. */
    public static final class GenerationStuck extends FaultyPciNet {
        public GenerationStuck() {
            super("generation-stuck");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long commonRead(int field, int width, long correct) {
                    return field == CONFIG_GENERATION ? 0 : correct;
                }
            };
        }
    }

    /**
     * With MSI-X enabled, sends config_msix_vector's message first and sets the ISR configuration bit only after it:
     * the first ISR read once the message is there misses the bit, the next one finds it.
     */
    public static final class IsrConfigBitLate extends FaultyPciNet {
        public IsrConfigBitLate() {
            super("isr-config-bit-late");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                /** 1: the message went out, the bit is not set yet; 2: the bit is set now. */
                private int late;

                @Override
                protected void configChangeNotification() {
                    if (!msixEnabled()) {
                        super.configChangeNotification();
                        return;
                    }
                    if (configVector() != NO_VECTOR) {
                        signalVector(configVector());
                    }
                    late = 1;
                }

                @Override
                protected long isrRead(long correct) {
                    if (late == 1) {
                        late = 2;
                        return correct;
                    }
                    if (late == 2) {
                        late = 0;
                        return correct | PciTransport.ISR_CONFIG;
                    }
                    return correct;
                }
            };
        }
    }

    /** Reports a configuration change in the ISR status as a queue interrupt: bit 0 where bit 1 belongs. */
    public static final class IsrConfigAsQueueBit extends FaultyPciNet {
        public IsrConfigAsQueueBit() {
            super("isr-config-as-queue-bit");
        }

        @Override
        PciDeviceModel function(VirtioDevice device, GuestMemory memory) {
            return new PatchedPciFunction(device, memory) {
                @Override
                protected long isrRead(long correct) {
                    return (correct & PciTransport.ISR_CONFIG) != 0 ? correct & ~PciTransport.ISR_CONFIG | PciTransport.ISR_QUEUE
                            : correct;
                }
            };
        }
    }
}
