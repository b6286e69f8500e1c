package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * One deviation each, planted in the reference blk device or in its register file. Each is registered as a
 * service so that {@code -Dtarget=inproc:faulty-blk-<fault>} reaches it, and {@code FaultyDevicesTest} shows
 * which probe must FAIL on it.
 */
public final class FaultyBlkDevices {
    private static final int SECTOR_SIZE_BYTES = BlkRequest.SECTOR_SIZE;
    private FaultyBlkDevices() {
    }

    /** Reports one byte more than it wrote. */
    public static final class UsedLenPlusOne extends FaultyBlk {
        public UsedLenPlusOne() {
            super("used-len-plus-one");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected long usedLength(long bytesWritten) {
                    return bytesWritten + 1;
                }
            };
        }
    }

    /** Puts the status in the first writable byte instead of the last. */
    public static final class StatusFirstByte extends FaultyBlk {
        public StatusFirstByte() {
            super("status-first-byte");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
                    chain.writer(mem).writeAt(0, new byte[] {(byte) status});
                }
            };
        }
    }

    /** Writes one byte past the end of the last writable buffer when it returns read data. */
    public static final class WritePastBuffer extends FaultyBlk {
        public WritePastBuffer() {
            super("write-past-buffer");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void writeReadData(DescriptorChain chain, GuestMemory mem, byte[] data) {
                    super.writeReadData(chain, mem, data);
                    Segment last = chain.segments().get(chain.segments().size() - 1);
                    mem.putU8(last.addr() + last.len(), 0);
                }
            };
        }
    }

    /** Lets requests beyond capacity through, completing them with OK. */
    public static final class IgnoresCapacity extends FaultyBlk {
        public IgnoresCapacity() {
            super("ignores-capacity");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean inCapacity(long sector, long bytes) {
                    return true;
                }
            };
        }
    }

    /** Counts the end of the disk one sector short: a request that ends exactly at the capacity is refused. */
    public static final class ShortCapacity extends FaultyBlk {
        public ShortCapacity() {
            super("short-capacity");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected boolean inCapacity(long sector, long bytes) {
                    return super.inCapacity(sector, bytes + SECTOR_SIZE_BYTES);
                }
            };
        }
    }

    /** Echoes the status into the request header, a device-readable buffer. */
    public static final class WritesReadable extends FaultyBlk {
        public WritesReadable() {
            super("writes-readable");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
                    super.putStatus(chain, mem, status);
                    mem.putU8(chain.segments().get(0).addr() + 4, status | 0x40);
                }
            };
        }
    }

    /** Answers requests it does not support with OK. */
    public static final class UnsuppAsOk extends FaultyBlk {
        public UnsuppAsOk() {
            super("unsupp-as-ok");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
                    super.putStatus(chain, mem, status == BlkRequest.S_UNSUPP ? BlkRequest.S_OK : status);
                }
            };
        }
    }

    /** Does not offer VERSION_1. */
    public static final class NoVersion1 extends FaultyBlk {
        public NoVersion1() {
            super("no-version-1");
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
                    return offset == DEVICE_FEATURES && select == 1 ? v & ~1L : v;
                }
            };
        }
    }

    /** Ignores the write of 0 to the status register, so a reset never completes. */
    public static final class ResetKeepsStatus extends FaultyBlk {
        public ResetKeepsStatus() {
            super("reset-keeps-status");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private boolean started;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == STATUS && value == 0 && started) {
                        return;
                    }
                    started |= offset == STATUS && (value & DeviceStatus.DRIVER_OK) != 0;
                    super.write(offset, width, value);
                }
            };
        }
    }

    /** Keeps FEATURES_OK set even when the driver accepted a feature that was never offered. */
    public static final class AcceptsUnoffered extends FaultyBlk {
        public AcceptsUnoffered() {
            super("accepts-unoffered");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private long select;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == DRIVER_FEATURES_SEL) {
                        select = value;
                    }
                    if (offset == DRIVER_FEATURES) {
                        value &= device.offeredFeatures().word((int) select);
                    }
                    super.write(offset, width, value);
                }
            };
        }
    }

    /** Refuses FEATURES_OK from the second negotiation on (a SHOULD clause). */
    public static final class RefusesRenegotiation extends FaultyBlk {
        public RefusesRenegotiation() {
            super("refuses-renegotiation");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private int negotiations;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == STATUS && (value & DeviceStatus.FEATURES_OK) != 0
                            && (super.read(STATUS, 4) & DeviceStatus.FEATURES_OK) == 0 && ++negotiations > 1) {
                        value &= ~DeviceStatus.FEATURES_OK;
                    }
                    super.write(offset, width, value);
                }
            };
        }
    }

    /** Reads back the status without the DRIVER bit. */
    public static final class DropsDriverBit extends FaultyBlk {
        public DropsDriverBit() {
            super("drops-driver-bit");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return WrappedRegisters.patchingRead(super.registers(device, memory), STATUS,
                    v -> v & ~DeviceStatus.DRIVER);
        }
    }

    /** Reads configuration space as zeros until FEATURES_OK. */
    public static final class HidesConfigEarly extends FaultyBlk {
        public HidesConfigEarly() {
            super("hides-config-early");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                @Override
                public long read(long offset, int width) {
                    boolean early = (super.read(STATUS, 4) & DeviceStatus.FEATURES_OK) == 0;
                    return offset >= CONFIG && early ? 0 : super.read(offset, width);
                }
            };
        }
    }

    /** Presents the legacy register layout's Version 1. */
    public static final class LegacyVersion extends FaultyBlk {
        public LegacyVersion() {
            super("legacy-version");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                @Override
                public long read(long offset, int width) {
                    return offset == VERSION ? 1 : super.read(offset, width);
                }
            };
        }
    }

    /** Ignores InterruptACK, so the used-buffer bit never clears. */
    public static final class StickyInterrupt extends FaultyBlk {
        public StickyInterrupt() {
            super("sticky-interrupt");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                @Override
                public void write(long offset, int width, long value) {
                    if (offset != INTERRUPT_ACK) {
                        super.write(offset, width, value);
                    }
                }
            };
        }
    }

    /** QueueReady of queue 0 keeps reading 1 after a reset. */
    public static final class QueueReadyStuck extends FaultyBlk {
        public QueueReadyStuck() {
            super("queue-ready-stuck");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private boolean everReady;

                @Override
                public void write(long offset, int width, long value) {
                    everReady |= offset == QUEUE_READY && value == 1;
                    super.write(offset, width, value);
                }

                @Override
                public long read(long offset, int width) {
                    return offset == QUEUE_READY && everReady ? 1 : super.read(offset, width);
                }
            };
        }
    }

    /** After processing a notify, rewrites the len of descriptor 0 in the descriptor table. */
    public static final class ScribblesDescriptors extends FaultyBlk {
        public ScribblesDescriptors() {
            super("scribbles-descriptors");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private long descLow;

                @Override
                public void write(long offset, int width, long value) {
                    if (offset == QUEUE_DESC_LOW) {
                        descLow = value;
                    }
                    super.write(offset, width, value);
                    if (offset == QUEUE_NOTIFY) {
                        memory.putU32(descLow + 8, 0x7777);
                    }
                }
            };
        }
    }

    /** Processes the request queue on a notify even before DRIVER_OK. */
    public static final class ConsumesBeforeDriverOk extends FaultyBlk {
        public ConsumesBeforeDriverOk() {
            super("consumes-before-driver-ok");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                private long num;
                private long desc;
                private long avail;
                private long used;

                @Override
                public void write(long offset, int width, long value) {
                    switch ((int) offset) {
                        case QUEUE_NUM -> num = value;
                        case QUEUE_DESC_LOW -> desc = value;
                        case QUEUE_DRIVER_LOW -> avail = value;
                        case QUEUE_DEVICE_LOW -> used = value;
                        default -> { }
                    }
                    boolean early = (super.read(STATUS, 4) & DeviceStatus.DRIVER_OK) == 0;
                    if (offset == QUEUE_NOTIFY && early) {
                        // Indirect tables are accepted whether or not they were negotiated: the fault is the timing.
                        device.process(0, new SplitDeviceQueue(memory, (int) num, desc, avail, used,
                                new RingFeatures(true, false, false)));
                    }
                    super.write(offset, width, value);
                }
            };
        }
    }
}
