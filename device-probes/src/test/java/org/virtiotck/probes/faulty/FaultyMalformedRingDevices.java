package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.driver.ring.split.SplitLayout.RING_IDX;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Blk devices that read a malformed ring too trustingly, each proving a probe of probes/malformed can tell: one that
 * wraps addresses past the end of guest memory to its start, one that checks only where a buffer starts, one that
 * takes every descriptor after the first device-writable one as device-writable, one that checks the AVAIL and USED
 * bits of a packed list's head only, one that serves as many entries as the avail idx claims.
 */
public final class FaultyMalformedRingDevices {
    private FaultyMalformedRingDevices() {
    }

    /**
     * Decodes a buffer address by its offset into guest memory modulo the memory size, as a backend that masks
     * addresses to its RAM mapping does: a buffer past the end of guest memory aliases its start.
     */
    public static final class WrapsPastMemoryEnd extends FaultyBlk {
        public WrapsPastMemoryEnd() {
            super("wraps-past-memory-end");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    GuestMemory m = memory();
                    NextChain next = NextChain.of(real);
                    GuestPatch patch = new GuestPatch(m);
                    for (int i = 0; i < next.descriptors().size(); i++) {
                        long wrapped = m.base() + Math.floorMod(next.addr(i) - m.base(), m.size());
                        if (wrapped != next.addr(i)) {
                            patch.u64(next.descriptors().get(i) + NextChain.ADDR, wrapped);
                        }
                    }
                    return patch.during(real::pop);
                }
            });
        }
    }

    /**
     * Checks that a buffer starts in guest memory but not that it ends there, and writes a buffer's bytes through a
     * bus that drops those past the end of memory: of a buffer running past the end it writes the part inside.
     */
    public static final class ChecksBufferStartOnly extends FaultyBlk {
        public ChecksBufferStartOnly() {
            super("checks-buffer-start-only");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    super.process(queueIndex, new ForwardingQueue(queue) {
                        @Override
                        public Optional<DescriptorChain> pop() {
                            return popUnclipped(real);
                        }
                    });
                }

                @Override
                protected void writeReadData(DescriptorChain chain, GuestMemory mem, byte[] data) {
                    int done = 0;
                    for (Segment s : chain.segments()) {
                        if (!s.writable() || done == data.length) {
                            continue;
                        }
                        int n = (int) Math.min(s.len(), data.length - done);
                        long inside = Math.max(0, Math.min(n, mem.base() + mem.size() - s.addr()));
                        mem.write(s.addr(), data, done, (int) inside);
                        done += n;
                    }
                }
            };
        }

        /**
         * The real queue walks the chain with each buffer that runs past the end of memory cut at the end; the chain
         * handed on has the lengths the descriptors give.
         */
        private static Optional<DescriptorChain> popUnclipped(DeviceQueue real) {
            GuestMemory m = real.memory();
            long end = m.base() + m.size();
            NextChain next = NextChain.of(real);
            GuestPatch patch = new GuestPatch(m);
            List<long[]> cut = new ArrayList<>();
            for (int i = 0; i < next.descriptors().size(); i++) {
                long addr = next.addr(i);
                if (m.contains(addr, 1) && addr + next.len(i) > end) {
                    cut.add(new long[] {addr, next.len(i)});
                    patch.u32(next.descriptors().get(i) + NextChain.LEN, end - addr);
                }
            }
            return patch.during(real::pop).map(c -> {
                List<Segment> segments = new ArrayList<>();
                for (Segment s : c.segments()) {
                    long len = cut.stream().filter(x -> x[0] == s.addr()).mapToLong(x -> x[1]).findFirst()
                            .orElse(s.len());
                    segments.add(new Segment(s.addr(), len, s.writable()));
                }
                return new DescriptorChain(c.head(), segments, c.descriptorCount());
            });
        }
    }

    /**
     * Stops looking at the WRITE flag once it has seen it set, as a device that relies on the driver putting the
     * device-readable buffers first does: every later descriptor is device-writable to it.
     */
    public static final class WritableAfterFirstWritable extends FaultyBlk {
        public WritableAfterFirstWritable() {
            super("writable-after-first-writable");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    NextChain next = NextChain.of(real);
                    GuestPatch patch = new GuestPatch(memory());
                    boolean seen = false;
                    for (int i = 0; i < next.descriptors().size(); i++) {
                        int flags = next.flags(i);
                        if (seen && (flags & PackedLayout.F_WRITE) == 0) {
                            patch.u16(next.flagsAt(i), flags | PackedLayout.F_WRITE);
                        }
                        seen |= (flags & PackedLayout.F_WRITE) != 0;
                    }
                    return patch.during(real::pop);
                }
            });
        }
    }

    /**
     * Packed ring: checks the AVAIL and USED bits of a list's head only and follows NEXT into the slots after it
     * whatever their bits say, as DPDK 22.11's lib/vhost does.
     */
    public static final class ChecksHeadAvailBitOnly extends FaultyBlk {
        public ChecksHeadAvailBitOnly() {
            super("checks-head-avail-bit-only");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> queue instanceof SplitDeviceQueue ? queue : new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    NextChain next = NextChain.of(real);
                    GuestPatch patch = new GuestPatch(memory());
                    int bits = PackedLayout.F_AVAIL | PackedLayout.F_USED;
                    for (int i = 1; i < next.descriptors().size(); i++) {
                        int marked = (next.flags(i) & ~bits) | PackedLayout.availBits(next.laps().get(i));
                        patch.u16(next.flagsAt(i), marked);
                    }
                    return patch.during(real::pop);
                }
            });
        }
    }

    /**
     * Split ring: takes the avail idx minus its own position as the number of entries to serve, without comparing
     * it with the queue size, as DPDK 22.11's lib/vhost does (see known-deviations); an idx moved back makes it serve
     * the ring over and over, in bursts of one ring's worth per notification.
     */
    public static final class TrustsAvailIdx extends FaultyBlk {
        public TrustsAvailIdx() {
            super("trusts-avail-idx");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> !(queue instanceof SplitDeviceQueue s) ? queue : new ForwardingQueue(queue) {
                /** Entries served in this notification's burst. */
                private int burst;

                @Override
                public Optional<DescriptorChain> pop() {
                    GuestMemory m = memory();
                    long idx = s.driverArea() + RING_IDX;
                    if (((m.u16(idx) - s.lastAvail()) & 0xffff) <= s.size()) {
                        return real.pop();
                    }
                    if (burst++ == s.size()) {
                        return Optional.empty();
                    }
                    // The real queue refuses an idx that far ahead: show it one entry at a time.
                    GuestPatch patch = new GuestPatch(m);
                    patch.u16(idx, (s.lastAvail() + 1) & 0xffff);
                    return patch.during(real::pop);
                }
            });
        }
    }
}
