package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.driver.ring.split.SplitLayout.*;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Blk devices that handle a malformed request unsafely, each proving a probe of probes/malformed can tell: one that
 * follows a descriptor loop until it gives up and hangs, one that takes out-of-range indices modulo the queue size,
 * one that treats a zero-length buffer as one byte long, one that puts a blk status after the data buffer, one that
 * dies on a blk header shorter than 16 bytes.
 */
public final class FaultyMalformedDevices {
    private FaultyMalformedDevices() {
    }

    /** The split chain the next avail entry names, as raw descriptor indices in walk order (bounded by {@code limit}). */
    private static List<Integer> peekChain(SplitDeviceQueue q, int limit) {
        GuestMemory m = q.memory();
        List<Integer> walk = new ArrayList<>();
        if (m.u16(q.driverArea() + RING_IDX) == q.lastAvail()) {
            return walk;
        }
        int index = m.u16(q.driverArea() + RING_ENTRIES + 2L * (q.lastAvail() % q.size()));
        while (walk.size() < limit) {
            walk.add(index);
            long d = q.descriptorArea() + (long) DESC_SIZE * (index % q.size());
            if ((m.u16(d + 12) & F_NEXT) == 0) {
                break;
            }
            index = m.u16(d + 14);
        }
        return walk;
    }

    /**
     * Follows a split chain's NEXT links with no bound of its own, as a device that trusts the driver would: on a
     * loop it gives up only after a million descriptors, and its queue thread is then stuck for good, so it serves
     * nothing more, not even after a device reset. (The bound keeps the test JVM's thread, which the in-process
     * device runs on, from spinning forever.)
     */
    public static final class FollowsDescriptorLoops extends FaultyBlk {
        private static final int GIVES_UP_AFTER = 1_000_000;

        public FollowsDescriptorLoops() {
            super("follows-descriptor-loops");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                private boolean stuck;

                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    if (stuck) {
                        return;
                    }
                    if (queue instanceof SplitDeviceQueue s && peekChain(s, s.size() + 1).size() > s.size()) {
                        peekChain(s, GIVES_UP_AFTER);
                        stuck = true;
                        return;
                    }
                    super.process(queueIndex, queue);
                }
            };
        }
    }

    /**
     * Reads a split ring's head and next indices modulo the queue size instead of refusing those beyond it: it
     * shows the ring it reads that way (the indices rewritten in guest memory while it pops, then put back).
     */
    public static final class IndexModuloSize extends FaultyBlk {
        public IndexModuloSize() {
            super("index-modulo-size");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> !(queue instanceof SplitDeviceQueue s) ? queue : new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    return popModulo(s);
                }
            });
        }

        private static Optional<DescriptorChain> popModulo(SplitDeviceQueue s) {
            GuestMemory m = s.memory();
            List<long[]> restore = new ArrayList<>();
            long entry = s.driverArea() + RING_ENTRIES + 2L * (s.lastAvail() % s.size());
            List<Integer> walk = peekChain(s, s.size());
            if (!walk.isEmpty()) {
                wrap(m, entry, s.size(), restore);
                for (int index : walk) {
                    wrap(m, s.descriptorArea() + (long) DESC_SIZE * (index % s.size()) + 14, s.size(), restore);
                }
            }
            try {
                return s.pop();
            } finally {
                for (long[] r : restore) {
                    m.putU16(r[0], (int) r[1]);
                }
            }
        }

        private static void wrap(GuestMemory m, long at, int size, List<long[]> restore) {
            int v = m.u16(at);
            if (v >= size) {
                restore.add(new long[] {at, v});
                m.putU16(at, v % size);
            }
        }
    }

    /**
     * Takes a zero-length device-writable buffer for a one-byte one: before returning a chain that has one, it
     * clears the byte the buffer starts at, which belongs to no buffer.
     */
    public static final class ZeroLengthAsOneByte extends FaultyBlk {
        public ZeroLengthAsOneByte() {
            super("zero-length-as-one-byte");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> new ForwardingQueue(queue) {
                @Override
                public void push(DescriptorChain chain, long usedLen) {
                    for (Segment s : chain.segments()) {
                        if (s.writable() && s.len() == 0) {
                            memory().putU8(s.addr(), 0);
                        }
                    }
                    real.push(chain, usedLen);
                }
            });
        }
    }

    /**
     * Assumes a blk request's framing: the status has a descriptor of its own after the data. Given a chain whose
     * last device-writable buffer is longer than one byte, it writes the status just past that buffer, where the
     * status would lie if the data buffer were followed by it in memory.
     */
    public static final class StatusAfterData extends FaultyBlk {
        public StatusAfterData() {
            super("status-after-data");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
                    List<Segment> segments = chain.segments();
                    Segment last = segments.get(segments.size() - 1);
                    if (last.writable() && last.len() > 1) {
                        mem.putU8(last.addr() + last.len(), status);
                        return;
                    }
                    super.putStatus(chain, mem, status);
                }
            };
        }
    }

    /**
     * Takes an IN without data for a read of one sector: it writes the 512 bytes from the start of the chain's first
     * device-writable buffer, which for such a request is the one-byte status buffer.
     */
    public static final class EmptyReadAsOneSector extends FaultyBlk {
        public EmptyReadAsOneSector() {
            super("empty-read-as-one-sector");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                @Override
                protected void writeReadData(DescriptorChain chain, GuestMemory mem, byte[] data) {
                    if (data.length > 0) {
                        super.writeReadData(chain, mem, data);
                        return;
                    }
                    Segment first = chain.segments().stream().filter(Segment::writable).findFirst().orElseThrow();
                    mem.write(first.addr(), new byte[BlkRequest.SECTOR_SIZE]);
                }
            };
        }
    }

    /**
     * Asserts that a blk request's device-readable part holds the whole 16-byte header, and takes a failed assertion
     * for an internal error: its queue worker stops with the request unanswered, and the device serves nothing more,
     * not even after a reset.
     */
    public static final class DiesOnShortHeader extends FaultyBlk {
        public DiesOnShortHeader() {
            super("dies-on-short-header");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                private boolean dead;

                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    if (dead) {
                        return;
                    }
                    super.process(queueIndex, new ForwardingQueue(queue) {
                        @Override
                        public Optional<DescriptorChain> pop() {
                            Optional<DescriptorChain> chain = real.pop();
                            dead = chain.isPresent() && chain.get().readableLength() < BlkRequest.HEADER_SIZE;
                            return dead ? Optional.empty() : chain;
                        }
                    });
                }
            };
        }
    }
}
