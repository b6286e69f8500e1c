package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import java.util.function.Supplier;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.MmioDeviceModel;
import org.virtiotck.harness.inproc.NetDeviceProvider;
import org.virtiotck.harness.inproc.PciDeviceModel;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Devices that each break one rule of a single queue's reset (VIRTIO 1.2 §2.6.1, §4.1.4.3.1, §4.2.2.1), for the
 * probes QueueResetFaultyDevicesTest proves. The register faults ({@link QueueResetFault}) sit in front of either
 * transport; the ring faults act on queue 0 of a blk device over virtio-mmio, split ring.
 */
public final class FaultyQueueResetDevices {
    private FaultyQueueResetDevices() {
    }

    /** A reference device named "faulty-&lt;type&gt;-&lt;fault&gt;" whose queue reset registers carry one fault, mmio and pci. */
    private abstract static class RegisterFault implements InprocDeviceProvider {
        private final InprocDeviceProvider reference;
        private final String fault;
        private final Supplier<QueueResetFault> planted;

        RegisterFault(InprocDeviceProvider reference, String fault, Supplier<QueueResetFault> planted) {
            this.reference = reference;
            this.fault = fault;
            this.planted = planted;
        }

        @Override
        public String name() {
            return "faulty-" + reference.name() + "-" + fault;
        }

        @Override
        public DeviceType type() {
            return reference.type();
        }

        @Override
        public boolean reference() {
            return false;
        }

        @Override
        public VirtioDevice create() {
            return reference.create();
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new MmioQueueResetFault(new MmioDeviceModel(device, memory), planted.get());
        }

        @Override
        public PciDeviceModel pciFunction(VirtioDevice device, GuestMemory memory) {
            return new PciQueueResetFault(device, memory, planted.get());
        }
    }

    public static final class ResetSetAfterDeviceReset extends RegisterFault {
        public ResetSetAfterDeviceReset() {
            super(new BlkDeviceProvider(), "queue-reset-set-after-device-reset", QueueResetFault.SetAfterDeviceReset::new);
        }
    }

    public static final class ResetMirrorsEnable extends RegisterFault {
        public ResetMirrorsEnable() {
            super(new BlkDeviceProvider(), "queue-reset-mirrors-enable", QueueResetFault.MirrorsEnable::new);
        }
    }

    /** On a net device, where the transmit queue the probes reset is queue 1. */
    public static final class ResetsQueueZero extends RegisterFault {
        public ResetsQueueZero() {
            super(new NetDeviceProvider(), "resets-queue-zero", QueueResetFault.ResetsQueueZero::new);
        }
    }

    public static final class ResetReadsZeroEarly extends RegisterFault {
        public ResetReadsZeroEarly() {
            super(new BlkDeviceProvider(), "queue-reset-reads-zero-early", QueueResetFault.ReadsZeroEarly::new);
        }
    }

    public static final class EnableStaysSetAfterReset extends RegisterFault {
        public EnableStaysSetAfterReset() {
            super(new BlkDeviceProvider(), "enable-stays-set-after-queue-reset", QueueResetFault.EnableStaysSet::new);
        }
    }

    public static final class ResetNeverCompletes extends RegisterFault {
        public ResetNeverCompletes() {
            super(new BlkDeviceProvider(), "queue-reset-never-completes", QueueResetFault.NeverCompletes::new);
        }
    }

    /**
     * Takes a queue reset as "stop notifying": queue 0 keeps being served, silently, at the addresses it had when a
     * notification for it arrives after the reset.
     */
    public static final class ServesResetQueue extends FaultyBlk {
        public ServesResetQueue() {
            super("serves-reset-queue");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                private boolean reset;

                @Override
                void beforeWrite(long offset, long value) {
                    reset |= offset == QUEUE_RESET && value == 1 && select == 0;
                    reset &= !(offset == QUEUE_READY || offset == STATUS);
                    if (offset == QUEUE_NOTIFY && value == 0 && reset) {
                        serveQueueZero(device);
                    }
                }
            };
        }
    }

    /** Raises a used buffer interrupt for a notification of queue 0 after its reset, though it serves nothing. */
    public static final class NotifiesResetQueue extends FaultyBlk {
        public NotifiesResetQueue() {
            super("notifies-reset-queue");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new SpuriousUsedInterrupt(super.registers(device, memory), memory) {
                private boolean reset;

                @Override
                boolean raises(long offset, long value) {
                    reset |= offset == QUEUE_RESET && value == 1 && select == 0;
                    reset &= !(offset == QUEUE_READY || offset == STATUS);
                    return offset == QUEUE_NOTIFY && value == 0 && reset;
                }
            };
        }
    }

    /** Carries the split used idx of queue 0 over a queue reset: the re-enabled ring's idx counts on from the old one. */
    public static final class KeepsUsedIdx extends FaultyBlk {
        public KeepsUsedIdx() {
            super("keeps-used-idx");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                private int carried;
                private int published = -1;

                @Override
                void beforeWrite(long offset, long value) {
                    if (offset == QUEUE_RESET && value == 1 && select == 0) {
                        carried = memory.u16(deviceArea + 2);
                        published = -1;
                    } else if (offset == STATUS && value == 0) {
                        carried = 0;
                    }
                }

                @Override
                void afterNotify() {
                    int idx = memory.u16(deviceArea + 2);
                    if (carried != 0 && idx != published) {
                        published = idx + carried & 0xffff;
                        memory.putU16(deviceArea + 2, published);
                    }
                }
            };
        }
    }

    /** Ignores the queue size the driver writes for queue 0 after its reset, and keeps the size from before. */
    public static final class KeepsQueueSize extends FaultyBlk {
        public KeepsQueueSize() {
            super("keeps-queue-size");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                private long kept;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == QUEUE_RESET && value == 1 && select == 0) {
                        kept = num;
                    } else if (offset == STATUS && value == 0) {
                        kept = 0;
                    }
                    boolean resize = offset == QUEUE_NUM && select == 0 && kept != 0;
                    super.write(offset, width, resize ? kept : value);
                }
            };
        }
    }
}
