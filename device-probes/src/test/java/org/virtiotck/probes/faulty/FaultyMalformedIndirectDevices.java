package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import static org.virtiotck.driver.ring.split.SplitLayout.F_INDIRECT;
import static org.virtiotck.driver.ring.split.SplitLayout.F_NEXT;
import static org.virtiotck.driver.ring.split.SplitLayout.F_WRITE;
import static org.virtiotck.probes.faulty.FaultyBlk.CAPACITY;
import static org.virtiotck.probes.faulty.FaultyBlk.SERIAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.Segment;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * Blk devices that read a malformed indirect descriptor too trustingly, each proving a probe of probes/malformed can
 * tell: one that goes on along NEXT after an indirect table, one that follows a table named inside a table, one
 * that walks a table until its offset equals the table's length. (NEXT, WRITE and INDIRECT are the same bits in
 * split and packed descriptors.)
 */
public final class FaultyMalformedIndirectDevices {
    private static final int ENTRY = 16;
    private static final int MAX_NESTING = 8;

    private FaultyMalformedIndirectDevices() {
    }

    /**
     * Reads an indirect table and then, where the descriptor naming it also has NEXT, the descriptors NEXT leads
     * to, as part of the same request; it checks the order of device-readable and device-writable buffers only
     * within the table, so whatever follows the table's device-writable entries is device-writable to it.
     */
    public static final class FollowsNextAfterIndirect extends FaultyBlk {
        public FollowsNextAfterIndirect() {
            super("follows-next-after-indirect");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    NextChain next = NextChain.of(real);
                    int at = indirectWithNext(next);
                    if (at < 0) {
                        return real.pop();
                    }
                    GuestPatch patch = new GuestPatch(memory());
                    patch.u16(next.flagsAt(at), next.flags(at) & ~F_NEXT);
                    Optional<DescriptorChain> table = patch.during(real::pop);
                    return table.map(c -> real instanceof SplitDeviceQueue ? withSplitRest(c, next, at + 1)
                            : withPackedRest(c));
                }

                private static int indirectWithNext(NextChain next) {
                    for (int i = 0; i < next.descriptors().size(); i++) {
                        if ((next.flags(i) & (F_INDIRECT | F_NEXT)) == (F_INDIRECT | F_NEXT)) {
                            return i;
                        }
                    }
                    return -1;
                }

                /** Split: the descriptors NEXT led to, from the walk seen before the pop. */
                private DescriptorChain withSplitRest(DescriptorChain c, NextChain next, int from) {
                    List<Segment> segments = new ArrayList<>(c.segments());
                    for (int i = from; i < next.descriptors().size(); i++) {
                        segments.add(new Segment(next.addr(i), next.len(i), (next.flags(i) & F_WRITE) != 0));
                    }
                    int count = c.descriptorCount() + next.descriptors().size() - from;
                    return new DescriptorChain(c.head(), segments, Math.min(count, segments.size()));
                }

                /** Packed: the slots after the table's, which the queue takes for a list of their own. */
                private DescriptorChain withPackedRest(DescriptorChain c) {
                    return real.pop().map(rest -> {
                        List<Segment> segments = new ArrayList<>(c.segments());
                        segments.addAll(rest.segments());
                        // The buffer id is the one in the last descriptor of the list (§2.8.6).
                        return new DescriptorChain(rest.head(), segments, c.descriptorCount() + rest.descriptorCount());
                    }).orElse(c);
                }
            });
        }
    }

    /**
     * Split ring: takes a table entry with INDIRECT for the table it names and reads that table's chain in its
     * place, as a device that walks tables recursively does (up to {@value #MAX_NESTING} deep).
     */
    public static final class FollowsNestedTables extends FaultyBlk {
        public FollowsNestedTables() {
            super("follows-nested-tables");
        }

        @Override
        public VirtioDevice create() {
            return changingQueues(queue -> !(queue instanceof SplitDeviceQueue) ? queue : new ForwardingQueue(queue) {
                @Override
                public Optional<DescriptorChain> pop() {
                    NextChain next = NextChain.of(real);
                    int last = next.descriptors().size() - 1;
                    if (last < 0 || (next.flags(last) & F_INDIRECT) == 0
                            || !nests(memory(), next.addr(last), next.len(last))) {
                        return real.pop();
                    }
                    List<Segment> flat = new ArrayList<>();
                    table(memory(), next.addr(last), next.len(last), 0, flat);
                    // The real queue takes the outer table for a plain buffer, and so moves on past the chain.
                    GuestPatch patch = new GuestPatch(memory());
                    patch.u16(next.flagsAt(last), next.flags(last) & ~F_INDIRECT);
                    return patch.during(real::pop).map(c -> {
                        List<Segment> segments = new ArrayList<>(c.segments().subList(0, last));
                        segments.addAll(flat);
                        return new DescriptorChain(c.head(), segments, Math.min(c.descriptorCount(), segments.size()));
                    });
                }
            });
        }

        private static boolean nests(GuestMemory m, long addr, long len) {
            for (long off = 0; off + ENTRY <= len && m.contains(addr + off, ENTRY); off += ENTRY) {
                if ((m.u16(addr + off + 12) & F_INDIRECT) != 0) {
                    return true;
                }
            }
            return false;
        }

        /** The chain in the table at {@code addr}, entries with INDIRECT replaced by the chains of their tables. */
        private static void table(GuestMemory m, long addr, long len, int depth, List<Segment> out) {
            long entries = len / ENTRY;
            int index = 0;
            for (int visited = 0; visited < entries && m.contains(addr + (long) ENTRY * index, ENTRY); visited++) {
                long e = addr + (long) ENTRY * index;
                int flags = m.u16(e + 12);
                if ((flags & F_INDIRECT) != 0 && depth < MAX_NESTING) {
                    table(m, m.u64(e), m.u32(e + 8), depth + 1, out);
                } else {
                    out.add(new Segment(m.u64(e), m.u32(e + 8), (flags & F_WRITE) != 0));
                }
                index = m.u16(e + 14);
                if ((flags & F_NEXT) == 0 || index >= entries) {
                    return;
                }
            }
        }
    }

    /**
     * Walks an indirect table entry by entry until its offset equals the table's length: a length that is not a
     * multiple of 16 never equals it, so the walk runs on to the end of guest memory, where its queue thread dies;
     * the device serves nothing more, not even after a reset.
     */
    public static final class WalksTableUntilLength extends FaultyBlk {
        public WalksTableUntilLength() {
            super("walks-table-until-length");
        }

        @Override
        public VirtioDevice create() {
            return new BlkDevice(CAPACITY, SERIAL, false) {
                private boolean dead;

                @Override
                public void process(int queueIndex, DeviceQueue queue) {
                    NextChain next = NextChain.of(queue);
                    for (int i = 0; i < next.descriptors().size() && !dead; i++) {
                        if ((next.flags(i) & F_INDIRECT) != 0) {
                            dead = !walk(queue.memory(), next.addr(i), next.len(i));
                        }
                    }
                    if (!dead) {
                        super.process(queueIndex, queue);
                    }
                }
            };
        }

        /** Whether the walk ends: false when it leaves guest memory first. */
        private static boolean walk(GuestMemory m, long addr, long len) {
            for (long off = 0; off != len; off += ENTRY) {
                if (!m.contains(addr + off, ENTRY)) {
                    return false;
                }
                m.u64(addr + off);
            }
            return true;
        }
    }
}
