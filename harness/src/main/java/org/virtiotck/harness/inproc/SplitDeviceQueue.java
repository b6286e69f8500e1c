package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

import org.virtiotck.driver.ring.RingFeatures;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.EventIdx;

/**
 * The device side of one split virtqueue (VIRTIO 1.2 §2.7) in guest memory: takes chains from the
 * available ring and returns them through the used ring. It touches only the three ring parts and the
 * buffers that a validated chain describes; it never writes the descriptor table or the available ring.
 * The only part of the used ring it writes besides the elements and idx is avail_event, with EVENT_IDX.
 *
 * <p>Indices are free-running 16-bit counters, so all index arithmetic is done modulo 2^16. Not thread-safe:
 * the transport drives each queue from one thread at a time.
 */
public final class SplitDeviceQueue implements DeviceQueue {
    /** Largest split queue size: the biggest power of two a 16-bit index can still tell full from empty. */
    public static final int MAX_SIZE = 32768;

    private final GuestMemory memory;
    private final int size;
    private final long descTable;
    private final long availRing;
    private final long usedRing;
    private final RingFeatures features;
    private int lastAvail;
    private int usedIdx;
    /** Used idx when {@link #takeUsedNotification} last ran: the start of the range it decides on next. */
    private int signalledUsed;

    /** A queue with none of the ring features negotiated. */
    public SplitDeviceQueue(GuestMemory memory, int size, long descTable, long availRing, long usedRing) {
        this(memory, size, descTable, availRing, usedRing, RingFeatures.NONE);
    }

    /**
     * @param descTable descriptor area address
     * @param availRing driver area address
     * @param usedRing  device area address
     * @param features  the ring features the driver negotiated
     * @throws IllegalArgumentException when {@link #layoutProblem} finds one
     */
    public SplitDeviceQueue(GuestMemory memory, int size, long descTable, long availRing, long usedRing,
                            RingFeatures features) {
        layoutProblem(memory, size, descTable, availRing, usedRing).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        this.memory = memory;
        this.size = size;
        this.descTable = descTable;
        this.availRing = availRing;
        this.usedRing = usedRing;
        this.features = features;
    }

    /**
     * Why these parameters cannot form a split queue, if they cannot: the size must be a power of two up to
     * {@link #MAX_SIZE}, and each ring part must be aligned and lie inside guest memory with the sizes of
     * the §2.7 table (which include used_event and avail_event). Alignment matters here too: ring indices are
     * accessed atomically, which needs it.
     */
    public static Optional<String> layoutProblem(GuestMemory memory, int size, long descTable, long availRing,
                                                 long usedRing) {
        if (!validSize(size)) {
            return Optional.of("queue size " + size + " is not a power of two in 1.." + MAX_SIZE);
        }
        String desc = RingArea.problem(memory, "descriptor area", descTable, DESC_ALIGN, (long) DESC_SIZE * size);
        String avail = RingArea.problem(memory, "driver area", availRing, AVAIL_ALIGN, availBytes(size));
        String used = RingArea.problem(memory, "device area", usedRing, USED_ALIGN, usedBytes(size));
        return RingArea.first(desc, avail, used);
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public RingFeatures features() {
        return features;
    }

    public int size() {
        return size;
    }

    /** Guest address of the descriptor table. */
    public long descriptorArea() {
        return descTable;
    }

    /** Guest address of the available ring. */
    public long driverArea() {
        return availRing;
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
     * The next available chain, or empty when the driver has published nothing new. With EVENT_IDX, finding
     * the ring empty also publishes avail_event (see {@link #askForNextKick}).
     *
     * @throws MalformedChainException when the available index or the chain breaks the split ring rules;
     *         the queue state is left unchanged
     */
    @Override
    public Optional<DescriptorChain> pop() {
        // Acquire: the ring entry and descriptors the driver wrote before publishing idx are visible after it.
        int availIdx = memory.u16Acquire(availRing + RING_IDX);
        if (availIdx == lastAvail) {
            if (!features.eventIdx()) {
                return Optional.empty();
            }
            availIdx = askForNextKick();
            if (availIdx == lastAvail) {
                return Optional.empty();
            }
        }
        int pending = (availIdx - lastAvail) & 0xffff;
        if (pending > size) {
            // More chains than the ring has slots: the driver can never legitimately get this far ahead.
            throw MalformedChainException.of("available idx %d is %d ahead of last seen %d, more than queue size %d",
                    availIdx, pending, lastAvail, size);
        }
        int head = memory.u16(availRing + RING_ENTRIES + 2L * (lastAvail % size));
        DescriptorChain chain = walk(head);
        lastAvail = (lastAvail + 1) & 0xffff;
        return Optional.of(chain);
    }

    /**
     * §2.7.10 with EVENT_IDX: the device has drained the ring, so it asks to be notified when the driver fills
     * the next entry, by setting avail_event to its last_avail idx (used flags stay 0, as they must). Then it
     * looks at the available idx again: a driver that published just before reading the old avail_event may
     * have decided not to notify, and its buffer must not be left waiting. Returns the available idx re-read.
     */
    private int askForNextKick() {
        memory.putU16Release(usedRing + availEventOffset(size), lastAvail);
        // Full fence: the avail_event store must be visible before the idx load, or both sides could miss.
        VarHandle.fullFence();
        return memory.u16Acquire(availRing + RING_IDX);
    }

    /**
     * Follows the chain from {@code head}: zero or more direct descriptors, then, with INDIRECT_DESC, at most one
     * descriptor naming an indirect table, which ends the chain (§2.7.5.3.2 asks the device to handle exactly
     * this shape). A chain using a table takes one descriptor for the whole table.
     */
    private DescriptorChain walk(int head) {
        if (head >= size) {
            throw MalformedChainException.of("available ring slot %d holds head %d, queue size is %d",
                    lastAvail % size, head, size);
        }
        ChainBuilder chain = new ChainBuilder(memory);
        int index = head;
        for (int n = 0; ; n++) {
            // Each descriptor can appear at most once, so a chain longer than the table must be a loop.
            if (n == size) {
                throw MalformedChainException.of("chain at head %d has more than %d descriptors (a loop)", head, size);
            }
            long d = descTable + (long) DESC_SIZE * index;
            long addr = memory.u64(d);
            long len = memory.u32(d + 8);
            int flags = memory.u16(d + 12);
            int next = memory.u16(d + 14);
            if ((flags & F_INDIRECT) != 0) {
                readIndirect(chain, head, index, addr, len, flags, next);
                return new DescriptorChain(head, chain.segments(), n + 1);
            }
            String problem = chain.add(addr, len, (flags & F_WRITE) != 0);
            if (problem != null) {
                throw MalformedChainException.of("descriptor %d of chain at head %d %s (flags 0x%x)", index, head,
                        problem, flags);
            }
            if ((flags & F_NEXT) == 0) {
                return new DescriptorChain(head, chain.segments(), n + 1);
            }
            if (next >= size) {
                throw MalformedChainException.of("descriptor %d of chain at head %d has next %d, queue size is %d",
                        index, head, next, size);
            }
            index = next;
        }
    }

    private void readIndirect(ChainBuilder chain, int head, int index, long addr, long len, int flags, int next) {
        if (!features.indirect()) {
            throw MalformedChainException.of("descriptor %d of chain at head %d has INDIRECT set (flags 0x%x) "
                    + "but indirect descriptors were not negotiated", index, head, flags);
        }
        if ((flags & F_NEXT) != 0) {
            // The driver must not set both (§2.7.5.3.1); the device is only asked to handle an indirect
            // descriptor at the end of the chain, so anything after it would have no defined meaning.
            throw MalformedChainException.of("descriptor %d of chain at head %d has both INDIRECT and NEXT set "
                    + "(flags 0x%x, next %d)", index, head, flags, next);
        }
        // The WRITE bit of the referring descriptor is ignored (§2.7.5.3.2): each table entry says its own.
        IndirectTable.at(memory, addr, len, () -> "descriptor " + index + " of chain at head " + head)
                .readSplit(chain);
    }

    /**
     * Returns a chain to the driver: writes the used element (head id, {@code usedLen}), then publishes the
     * new used index. {@code usedLen} is taken as given, so that a deliberately faulty device can report a
     * wrong length.
     */
    @Override
    public void push(DescriptorChain chain, long usedLen) {
        publishUsed(chain.head(), usedLen, 1);
    }

    /**
     * In-order batch (§2.7.9, needs IN_ORDER): one used element, with the head of the last chain and
     * {@code lastUsedLen}, goes where the element of the first chain would have gone, and used idx moves on
     * by the number of chains. The driver takes every chain before the last as used in full.
     *
     * @throws IllegalStateException when IN_ORDER was not negotiated
     */
    @Override
    public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
        if (!features.inOrder()) {
            throw new IllegalStateException("a batch of used buffers needs VIRTIO_F_IN_ORDER, which was not negotiated");
        }
        if (chains.isEmpty() || chains.size() > size) {
            throw new IllegalArgumentException("a batch of " + chains.size() + " chains does not fit queue size " + size);
        }
        publishUsed(chains.get(chains.size() - 1).head(), lastUsedLen, chains.size());
    }

    /** Writes one used element at the used idx, then moves the used idx on by {@code count}. */
    private void publishUsed(int id, long usedLen, int count) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("chain head " + id + " is outside queue size " + size);
        }
        if (usedLen < 0 || usedLen > 0xffff_ffffL) {
            throw new IllegalArgumentException("used length " + usedLen + " does not fit the 32-bit len field");
        }
        long elem = usedRing + RING_ENTRIES + (long) USED_ELEM_SIZE * (usedIdx % size);
        memory.putU32(elem, id);
        memory.putU32(elem + 4, usedLen);
        usedIdx = (usedIdx + count) & 0xffff;
        // Release: the element (and the data written into the buffer) is visible before the index (§2.7.8).
        memory.putU16Release(usedRing + RING_IDX, usedIdx);
    }

    /**
     * Whether the used elements published since the previous call need a used buffer notification (§2.7.7.2).
     * Without EVENT_IDX, unless the driver set NO_INTERRUPT in the avail flags. With EVENT_IDX the flag is
     * ignored, and the device notifies exactly when the used idx moved past used_event, that is when used_event
     * lies in [used idx at the previous call, used idx now).
     */
    @Override
    public boolean takeUsedNotification() {
        int old = signalledUsed;
        signalledUsed = usedIdx;
        if (old == usedIdx) {
            return false;
        }
        // Full fence: the used idx store must not pass the loads below, or a driver that re-enables
        // notifications right after its last check could be left waiting.
        VarHandle.fullFence();
        if (features.eventIdx()) {
            return EventIdx.needEvent(memory.u16(availRing + usedEventOffset(size)), usedIdx, old);
        }
        return (memory.u16(availRing + RING_FLAGS) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    @Override
    public String toString() {
        return String.format("SplitDeviceQueue[size=%d, desc=0x%x, avail=0x%x, used=0x%x, lastAvail=%d, usedIdx=%d, %s]",
                size, descTable, availRing, usedRing, lastAvail, usedIdx, features);
    }
}
