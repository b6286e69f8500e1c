package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;
import static org.virtiotck.driver.transport.mmio.MmioRegister.*;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.PackedDeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.VirtioDevice;

/** Blk devices that get a ring rule wrong: notifications, in-order use, indirect tables. */
public final class FaultyRingDevices {
    private FaultyRingDevices() {
    }

    /** Goes away at the first notification, as a back-end process that dies or closes its socket. */
    public static final class DiesAtFirstNotify extends FaultyBlk {
        public DiesAtFirstNotify() {
            super("dies-at-first-notify");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new WrappedRegisters(super.registers(device, memory)) {
                @Override
                public void write(long offset, int width, long value) {
                    if (offset == QUEUE_NOTIFY) {
                        throw new DeviceLostException("faulty device closed its connection at the first notification");
                    }
                    super.write(offset, width, value);
                }
            };
        }
    }

    /** Never shows a used buffer interrupt: the driver waiting for one waits in vain. */
    public static final class NeverNotifies extends FaultyBlk {
        public NeverNotifies() {
            super("never-notifies");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return WrappedRegisters.patchingRead(super.registers(device, memory), INTERRUPT_STATUS,
                    v -> v & ~INT_USED_BUFFER);
        }
    }

    /** Shows a used buffer interrupt whenever one is looked for, suppressed or not. */
    public static final class AlwaysNotifies extends FaultyBlk {
        public AlwaysNotifies() {
            super("always-notifies");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return WrappedRegisters.patchingRead(super.registers(device, memory), INTERRUPT_STATUS,
                    v -> v | INT_USED_BUFFER);
        }
    }

    /** Offers IN_ORDER but carries out and returns each notification's requests last first. */
    public static final class ReversesBatch extends FaultyBlk {
        public ReversesBatch() {
            super("reverses-batch");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, PrependingQueue.reversed(queue));
                }
            };
        }
    }

    /** Handles a request that came through an indirect table as if its last descriptor were not there. */
    public static final class DropsLastIndirectEntry extends FaultyBlk {
        public DropsLastIndirectEntry() {
            super("drops-last-indirect-entry");
        }

        @Override
        public VirtioDevice create() {
            return changingChains(c -> c.descriptorCount() < c.segments().size()
                    ? new DescriptorChain(c.head(), c.segments().subList(0, c.segments().size() - 1), c.descriptorCount())
                    : c);
        }
    }

    /**
     * Lets the WRITE flag of a descriptor that names an indirect table win: it takes the table as one plain
     * device-writable buffer, as if INDIRECT were not set. Either layout; the layout is read off the driver
     * features (RING_PACKED, bit 34), and the flags sit at byte 12 of a split descriptor, 14 of a packed one.
     */
    public static final class IndirectWriteAsBuffer extends FaultyBlk {
        private static final int INDIRECT = 4;
        private static final int INDIRECT_AND_WRITE = INDIRECT | 2;

        public IndirectWriteAsBuffer() {
            super("indirect-write-as-buffer");
        }

        @Override
        public MmioBus registers(VirtioDevice device, GuestMemory memory) {
            return new QueueTrackingRegisters(super.registers(device, memory), memory) {
                private long featuresSelect;
                private boolean packed;

                @Override
                void beforeWrite(long offset, long value) {
                    if (offset == DRIVER_FEATURES_SEL) {
                        featuresSelect = value;
                    } else if (offset == DRIVER_FEATURES && featuresSelect == 1) {
                        packed = (value & 1L << (34 - 32)) != 0;
                    } else if (offset == QUEUE_NOTIFY) {
                        for (int i = 0; i < num; i++) {
                            long flags = desc + 16L * i + (packed ? 14 : 12);
                            int f = memory.u16(flags);
                            if ((f & INDIRECT_AND_WRITE) == INDIRECT_AND_WRITE) {
                                memory.putU16(flags, f & ~INDIRECT);
                            }
                        }
                    }
                }
            };
        }
    }

    /**
     * Takes two descriptors of a direct chain in swapped order: the last two device-readable ones when there are
     * three or more (an OUT's data), and the first two device-writable ones when there are three or more (an IN's).
     */
    public static final class SwapsChainedBuffers extends FaultyBlk {
        public SwapsChainedBuffers() {
            super("swaps-chained-buffers");
        }

        @Override
        public VirtioDevice create() {
            return changingChains(SwapsChainedBuffers::swap);
        }

        private static DescriptorChain swap(DescriptorChain c) {
            List<Segment> segments = new ArrayList<>(c.segments());
            if (c.descriptorCount() < segments.size()) {
                return c;
            }
            int firstWritable = 0;
            while (firstWritable < segments.size() && !segments.get(firstWritable).writable()) {
                firstWritable++;
            }
            if (firstWritable >= 3) {
                Collections.swap(segments, firstWritable - 2, firstWritable - 1);
            }
            if (segments.size() - firstWritable >= 3) {
                Collections.swap(segments, firstWritable, firstWritable + 1);
            }
            return new DescriptorChain(c.head(), segments, c.descriptorCount());
        }
    }

    /**
     * On a packed ring, when nothing is available where it goes on from, looks further along the lap and serves
     * the first chain it finds available there, marking it used in place: the ring order broken.
     */
    public static final class ServesAheadOfRingOrder extends FaultyBlk {
        public ServesAheadOfRingOrder() {
            super("serves-ahead-of-ring-order");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    if (queue instanceof PackedDeviceQueue p && !available(p, p.nextAvail())) {
                        for (int slot = p.nextAvail() + 1; slot < p.size(); slot++) {
                            if (available(p, slot)) {
                                serveInPlace(p, slot);
                                return;
                            }
                        }
                    }
                    super.process(queueIndex, queue);
                }

                /** Serves the direct chain at {@code slot} and writes its used descriptor over its head. */
                private void serveInPlace(PackedDeviceQueue p, int slot) {
                    GuestMemory m = p.memory();
                    List<Segment> segments = new ArrayList<>();
                    int id;
                    int s = slot;
                    while (true) {
                        long d = descriptor(p, s);
                        int flags = m.u16(d + DESC_FLAGS);
                        segments.add(new Segment(m.u64(d + DESC_ADDR), m.u32(d + DESC_LEN), (flags & F_WRITE) != 0));
                        id = m.u16(d + DESC_ID);
                        if ((flags & F_NEXT) == 0 || ++s == p.size()) {
                            break;
                        }
                    }
                    super.process(0, new PrependingQueue(p, List.of(new DescriptorChain(id, segments))) {
                        @Override
                        public void push(DescriptorChain c, long usedLen) {
                            long head = descriptor(p, slot);
                            m.putU32(head + DESC_LEN, usedLen);
                            m.putU16(head + DESC_ID, c.head());
                            m.putU16(head + DESC_FLAGS, usedBits(p.availWrapCounter()) | (usedLen > 0 ? F_WRITE : 0));
                        }
                    });
                }
            };
        }

        private static boolean available(PackedDeviceQueue p, int slot) {
            return isAvailable(p.memory().u16(descriptor(p, slot) + DESC_FLAGS), p.availWrapCounter());
        }

        private static long descriptor(PackedDeviceQueue p, int slot) {
            return p.descriptorArea() + (long) DESC_SIZE * slot;
        }
    }
}
