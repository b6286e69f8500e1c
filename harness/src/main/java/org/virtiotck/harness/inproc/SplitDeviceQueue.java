package org.virtiotck.harness.inproc;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * The device side of one split virtqueue (VIRTIO 1.2 §2.7) in guest memory: takes chains from the
 * available ring and returns them through the used ring. It touches only the three ring parts and the
 * buffers that a validated chain describes; it never writes the descriptor table or the available ring.
 *
 * <p>Indices are free-running 16-bit counters, so all index arithmetic is done modulo 2^16. Not thread-safe:
 * the transport drives each queue from one thread at a time.
 */
public final class SplitDeviceQueue implements DeviceQueue {
    /** Largest split queue size: the biggest power of two a 16-bit index can still tell full from empty. */
    public static final int MAX_SIZE = 32768;

    private static final int DESC_BYTES = 16;
    private static final int DESC_F_NEXT = 1;
    private static final int DESC_F_WRITE = 2;
    private static final int DESC_F_INDIRECT = 4;
    private static final int AVAIL_F_NO_INTERRUPT = 1;
    private static final int USED_ELEM_BYTES = 8;
    /** A driver must not make a chain longer than 2^32 bytes in total (§2.7.5). */
    private static final long MAX_CHAIN_BYTES = 1L << 32;

    private final GuestMemory memory;
    private final int size;
    private final long descTable;
    private final long availRing;
    private final long usedRing;
    private int lastAvail;
    private int usedIdx;

    /**
     * @param descTable descriptor area address
     * @param availRing driver area address
     * @param usedRing  device area address
     * @throws IllegalArgumentException when {@link #layoutProblem} finds one
     */
    public SplitDeviceQueue(GuestMemory memory, int size, long descTable, long availRing, long usedRing) {
        layoutProblem(memory, size, descTable, availRing, usedRing).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        this.memory = memory;
        this.size = size;
        this.descTable = descTable;
        this.availRing = availRing;
        this.usedRing = usedRing;
    }

    /**
     * Why these parameters cannot form a split queue, if they cannot: the size must be a power of two up to
     * {@link #MAX_SIZE}, and each ring part must be aligned and lie inside guest memory with the sizes of
     * the §2.7 table. Alignment matters here too: ring indices are accessed atomically, which needs it.
     */
    public static Optional<String> layoutProblem(GuestMemory memory, int size, long descTable, long availRing,
                                                 long usedRing) {
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            return Optional.of("queue size " + size + " is not a power of two in 1.." + MAX_SIZE);
        }
        String desc = RingArea.problem(memory, "descriptor area", descTable, 16, (long) DESC_BYTES * size);
        String avail = RingArea.problem(memory, "driver area", availRing, 2, 6 + 2L * size);
        String used = RingArea.problem(memory, "device area", usedRing, 4, 6 + (long) USED_ELEM_BYTES * size);
        return RingArea.first(desc, avail, used);
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    public int size() {
        return size;
    }

    /** Available ring index of the next chain to pop. */
    public int lastAvail() {
        return lastAvail;
    }

    /** Used ring index the device has published. */
    @Override
    public int usedIdx() {
        return usedIdx;
    }

    /**
     * The next available chain, or empty when the driver has published nothing new.
     *
     * @throws MalformedChainException when the available index or the chain breaks the split ring rules;
     *         the queue state is left unchanged
     */
    @Override
    public Optional<DescriptorChain> pop() {
        // Acquire: the ring entry and descriptors the driver wrote before publishing idx are visible after it.
        int availIdx = memory.u16Acquire(availRing + 2);
        int pending = (availIdx - lastAvail) & 0xffff;
        if (pending == 0) {
            return Optional.empty();
        }
        if (pending > size) {
            // More chains than the ring has slots: the driver can never legitimately get this far ahead.
            throw MalformedChainException.of("available idx %d is %d ahead of last seen %d, more than queue size %d",
                    availIdx, pending, lastAvail, size);
        }
        int head = memory.u16(availRing + 4 + 2L * (lastAvail % size));
        DescriptorChain chain = walk(head);
        lastAvail = (lastAvail + 1) & 0xffff;
        return Optional.of(chain);
    }

    private DescriptorChain walk(int head) {
        if (head >= size) {
            throw MalformedChainException.of("available ring slot %d holds head %d, queue size is %d",
                    lastAvail % size, head, size);
        }
        List<Segment> segments = new ArrayList<>();
        boolean sawWritable = false;
        long total = 0;
        int index = head;
        while (true) {
            // Each descriptor can appear at most once, so a chain longer than the table must be a loop.
            if (segments.size() == size) {
                throw MalformedChainException.of("chain at head %d has more than %d descriptors (a loop)", head, size);
            }
            long d = descTable + (long) DESC_BYTES * index;
            long addr = memory.u64(d);
            long len = memory.u32(d + 8);
            int flags = memory.u16(d + 12);
            int next = memory.u16(d + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                // VIRTIO_F_INDIRECT_DESC is not offered, so the driver may not use it (§2.7.5.3.1).
                throw MalformedChainException.of("descriptor %d of chain at head %d has INDIRECT set (flags 0x%x) "
                        + "but indirect descriptors were not negotiated", index, head, flags);
            }
            boolean writable = (flags & DESC_F_WRITE) != 0;
            if (sawWritable && !writable) {
                throw MalformedChainException.of("descriptor %d of chain at head %d is device-readable after a "
                        + "device-writable one (flags 0x%x)", index, head, flags);
            }
            if (!memory.contains(addr, len)) {
                throw MalformedChainException.of("descriptor %d of chain at head %d: buffer [0x%x, +%d) is not inside "
                        + "guest memory [0x%x, 0x%x)", index, head, addr, len, memory.base(), memory.base() + memory.size());
            }
            total += len;
            if (total > MAX_CHAIN_BYTES) {
                throw MalformedChainException.of("chain at head %d is longer than 2^32 bytes", head);
            }
            sawWritable |= writable;
            segments.add(new Segment(addr, len, writable));
            if ((flags & DESC_F_NEXT) == 0) {
                return new DescriptorChain(head, segments);
            }
            if (next >= size) {
                throw MalformedChainException.of("descriptor %d of chain at head %d has next %d, queue size is %d",
                        index, head, next, size);
            }
            index = next;
        }
    }

    /**
     * Returns a chain to the driver: writes the used element (head id, {@code usedLen}), then publishes the
     * new used index. {@code usedLen} is taken as given, so that a deliberately faulty device can report a
     * wrong length.
     */
    @Override
    public void push(DescriptorChain chain, long usedLen) {
        if (chain.head() >= size) {
            throw new IllegalArgumentException("chain head " + chain.head() + " is outside queue size " + size);
        }
        if (usedLen < 0 || usedLen > 0xffff_ffffL) {
            throw new IllegalArgumentException("used length " + usedLen + " does not fit the 32-bit len field");
        }
        long elem = usedRing + 4 + (long) USED_ELEM_BYTES * (usedIdx % size);
        memory.putU32(elem, chain.head());
        memory.putU32(elem + 4, usedLen);
        usedIdx = (usedIdx + 1) & 0xffff;
        // Release: the element (and the data written into the buffer) is visible before the index (§2.7.8).
        memory.putU16Release(usedRing + 2, usedIdx);
    }

    /**
     * True when the driver asked not to be interrupted for used buffers (VIRTQ_AVAIL_F_NO_INTERRUPT). Only
     * meaningful without VIRTIO_F_EVENT_IDX, which no device here offers.
     */
    @Override
    public boolean usedNotificationSuppressed() {
        // Full fence: the used idx store must not pass this load, or a driver that re-enables notifications
        // right after its last check could be left waiting.
        VarHandle.fullFence();
        return (memory.u16(availRing) & AVAIL_F_NO_INTERRUPT) != 0;
    }

    @Override
    public String toString() {
        return String.format("SplitDeviceQueue[size=%d, desc=0x%x, avail=0x%x, used=0x%x, lastAvail=%d, usedIdx=%d]",
                size, descTable, availRing, usedRing, lastAvail, usedIdx);
    }
}
