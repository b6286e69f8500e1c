package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.driver.transport.mmio.MmioRegister.*;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.EventIdx;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.MalformedChainException;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Blk devices that each break one rule of the device status, reset, notification and ring-state chapters (§2.1,
 * §2.4, §2.7, §2.8, §4.2.2.1, §6.2), for the probes in core, ring and mmio that CoreFaultyDevicesTest proves.
 */
public final class FaultyCoreDevices {
    private FaultyCoreDevices() {
    }

    /** Completes each buffer under an id 32 away (head xor 32), which names no buffer in flight on a 64-entry queue. */
    public static final class UsedIdNotInFlight extends FaultyBlk {
        public UsedIdNotInFlight() {
            super("used-id-not-in-flight");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, new ForwardingQueue(queue) {
                        @Override
                        public void push(DescriptorChain c, long usedLen) {
                            real.push(new DescriptorChain(c.head() ^ 32, c.segments(), c.descriptorCount()), usedLen);
                        }
                    });
                }
            };
        }
    }

    /** Moves the split used idx one further than the entries it wrote, after every notification. */
    public static final class UsedIdxRunsAhead extends FaultyBlk {
        public UsedIdxRunsAhead() {
            super("used-idx-runs-ahead");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    memory.putU16(deviceArea + 2, memory.u16(deviceArea + 2) + 1);
                }
            };
        }
    }

    /** Marks packed descriptors used with the AVAIL bit cleared (first lap: AVAIL 0, USED 1). */
    public static final class UsedWithoutAvailBit extends FaultyBlk {
        public UsedWithoutAvailBit() {
            super("used-without-avail-bit");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    for (int slot = 0; slot < num; slot++) {
                        long flags = desc + 16L * slot + 14;
                        int f = memory.u16(flags);
                        if ((f & 0x8080) == 0x8080) {
                            memory.putU16(flags, f & ~0x80);
                        }
                    }
                }
            };
        }
    }

    /** Sets bit 1 of the split used ring flags, a value no device may set. */
    public static final class UsedFlagsBitOne extends FaultyBlk {
        public UsedFlagsBitOne() {
            super("used-flags-bit-one");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    memory.putU16(deviceArea, memory.u16(deviceArea) | 2);
                }
            };
        }
    }

    /** Writes the reserved value 3 into the packed device event suppression flags. */
    public static final class DeviceEventReserved extends FaultyBlk {
        public DeviceEventReserved() {
            super("device-event-reserved");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    memory.putU16(deviceArea + 2, 3);
                }
            };
        }
    }

    /** Sets bit 14 of the driver area's first field: the avail ring flags (split) or off_wrap (packed). */
    public static final class ScribblesDriverArea extends FaultyBlk {
        public ScribblesDriverArea() {
            super("scribbles-driver-area");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    memory.putU16(driverArea, memory.u16(driverArea) | 0x4000);
                }
            };
        }
    }

    /** With IN_ORDER, returns a batch as one used entry but moves the split used idx by one, not by the batch. */
    public static final class ShortInOrderBatch extends FaultyBlk {
        public ShortInOrderBatch() {
            super("short-in-order-batch");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false, true) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, new ForwardingQueue(queue) {
                        @Override
                        public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
                            real.push(chains.get(chains.size() - 1), lastUsedLen);
                        }
                    });
                }
            };
        }
    }

    /** Holds used buffer interrupts back by used_event even when EVENT_IDX was not negotiated. */
    public static final class HonoursUsedEvent extends FaultyBlk {
        public HonoursUsedEvent() {
            super("honours-used-event");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    int usedNow = memory.u16(deviceArea + 2);
                    int usedEvent = memory.u16(driverArea + 4 + 2 * num);
                    if (!EventIdx.needEvent(usedEvent, usedNow, usedIdxAtNotify)) {
                        correct.write(INTERRUPT_ACK, 4, INT_USED_BUFFER);
                    }
                }
            };
        }
    }

    /** Holds used buffer interrupts back by the avail ring's NO_INTERRUPT flag even with EVENT_IDX. */
    public static final class HonoursAvailFlag extends FaultyBlk {
        public HonoursAvailFlag() {
            super("honours-avail-flag");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void afterNotify() {
                    if ((memory.u16(driverArea) & 1) != 0) {
                        correct.write(INTERRUPT_ACK, 4, INT_USED_BUFFER);
                    }
                }
            };
        }
    }

    /** Takes a notification that finds nothing available as a driver error, and wants a reset. */
    public static final class FaultsOnEmptyNotify extends FaultyBlk {
        public FaultsOnEmptyNotify() {
            super("faults-on-empty-notify");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    Optional<DescriptorChain> first = queue.pop();
                    if (first.isEmpty()) {
                        throw new MalformedChainException("notified with no buffer available");
                    }
                    super.process(queueIndex, new PrependingQueue(queue, List.of(first.get())));
                }
            };
        }
    }

    /** Raises a used buffer interrupt for a notification that arrives while DRIVER_OK is clear. */
    public static final class NotifiesWhileNotLive extends FaultyBlk {
        public NotifiesWhileNotLive() {
            super("notifies-while-not-live");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new SpuriousUsedInterrupt(super.registers(device, memory), memory) {
                @Override
                boolean raises(long offset, long value) {
                    return offset == QUEUE_NOTIFY && (status() & DeviceStatus.DRIVER_OK) == 0;
                }
            };
        }
    }

    /** Keeps serving queue 0 at the addresses it last had when notified after a reset. */
    public static final class ServesAfterReset extends FaultyBlk {
        public ServesAfterReset() {
            super("serves-after-reset");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                private boolean wasLive;

                @Override
                void beforeWrite(long offset, long value) {
                    wasLive |= (status() & DeviceStatus.DRIVER_OK) != 0;
                    if (offset == QUEUE_NOTIFY && wasLive && status() == 0) {
                        serveQueueZero(device);
                    }
                }
            };
        }
    }

    /** Keeps serving queue 0 when notified after the driver stopped it with QueueReady 0. */
    public static final class ServesStoppedQueue extends FaultyBlk {
        public ServesStoppedQueue() {
            super("serves-stopped-queue");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void beforeWrite(long offset, long value) {
                    boolean live = (status() & DeviceStatus.DRIVER_OK) != 0;
                    if (offset == QUEUE_NOTIFY && live && correct.read(QUEUE_READY, 4) == 0) {
                        serveQueueZero(device);
                    }
                }
            };
        }
    }

    /** Never shows the configuration change bit in InterruptStatus. */
    public static final class HidesConfigInterrupt extends FaultyBlk {
        public HidesConfigInterrupt() {
            super("hides-config-interrupt");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return WrappedRegisters.patchingRead(super.registers(device, memory), INTERRUPT_STATUS,
                    v -> v & ~INT_CONFIG_CHANGE);
        }
    }

    /** Changes the first configuration byte on every read without changing ConfigGeneration. */
    public static final class ConfigDrifts extends FaultyBlk {
        public ConfigDrifts() {
            super("config-drifts");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private int reads;

                @Override
                public long read(long offset, int width) {
                    long v = super.read(offset, width);
                    return offset == CONFIG ? v ^ (++reads & 0xff) : v;
                }
            };
        }
    }

    /** Offers SR_IOV (bit 37) over virtio-mmio, where no SR-IOV capability can exist. */
    public static final class OffersSrIov extends FaultyBlk {
        public OffersSrIov() {
            super("offers-sr-iov");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private long select;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == DEVICE_FEATURES_SEL) {
                        select = value;
                    }
                    super.write(offset, width, value);
                }

                @Override
                public long read(long offset, int width) {
                    long v = super.read(offset, width);
                    return offset == DEVICE_FEATURES && select == 1 ? v | 1L << (37 - 32) : v;
                }
            };
        }
    }

    /** Takes any filled-in packed descriptor as available, whatever its AVAIL bit says (first lap only). */
    public static final class IgnoresAvailBit extends FaultyBlk {
        public IgnoresAvailBit() {
            super("ignores-avail-bit");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                @Override
                void beforeWrite(long offset, long value) {
                    if (offset != QUEUE_NOTIFY) {
                        return;
                    }
                    for (int slot = 0; slot < num; slot++) {
                        long d = desc + 16L * slot;
                        int f = memory.u16(d + 14);
                        if ((f & 0x8080) == 0 && memory.u32(d + 8) != 0) {
                            memory.putU16(d + 14, f | 0x80);
                        }
                    }
                }
            };
        }
    }
}
