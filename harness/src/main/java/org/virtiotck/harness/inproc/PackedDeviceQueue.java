package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import org.virtiotck.driver.ring.RingFeatures;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.EventIdx;
import org.virtiotck.driver.ring.packed.PackedLayout;

/**
 * The device side of one packed virtqueue (VIRTIO 1.2 §2.8) in guest memory. It reads the descriptor ring, the
 * indirect tables the ring names (with VIRTIO_F_INDIRECT_DESC) and the driver event suppression structure. It
 * writes used descriptors only into slots it took, and, with VIRTIO_F_EVENT_IDX, its own device event
 * suppression structure; never the driver event structure.
 *
 * <p>Two positions move around the ring, each with a wrap counter that starts at 1 and flips when the position
 * passes the last slot: where the next available chain starts, and where the next used descriptor goes. Chains
 * may be returned in any order; each return writes one used descriptor and moves the used position on by the
 * number of slots the returned chain took (one for a chain that is a single indirect descriptor). Not
 * thread-safe: the transport drives each queue from one thread.
 */
public final class PackedDeviceQueue implements DeviceQueue {
    /** Largest packed queue size. */
    public static final int MAX_SIZE = PackedLayout.MAX_SIZE;

    private final GuestMemory memory;
    private final int size;
    private final long descRing;
    private final long driverEvent;
    private final long deviceEvent;
    private final RingFeatures features;
    private int nextAvail;
    private boolean availWrap = true;
    private int nextUsed;
    private boolean usedWrap = true;
    /** Slots taken by popped chains and not yet returned: the driver may not reuse them. */
    private int held;
    private int usedIdx;
    /** Slots the used position moved since {@link #takeUsedNotification} last ran, at most {@code size}. */
    private int unsignalledSlots;

    /** A queue with none of the ring features negotiated. */
    public PackedDeviceQueue(GuestMemory memory, int size, long descRing, long driverEvent, long deviceEvent) {
        this(memory, size, descRing, driverEvent, deviceEvent, RingFeatures.NONE);
    }

    /**
     * @param descRing    descriptor area address
     * @param driverEvent driver area address (driver event suppression)
     * @param deviceEvent device area address (device event suppression)
     * @param features    the ring features the driver negotiated
     * @throws IllegalArgumentException when {@link #layoutProblem} finds one
     */
    public PackedDeviceQueue(GuestMemory memory, int size, long descRing, long driverEvent, long deviceEvent,
                             RingFeatures features) {
        layoutProblem(memory, size, descRing, driverEvent, deviceEvent).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        this.memory = memory;
        this.size = size;
        this.descRing = descRing;
        this.driverEvent = driverEvent;
        this.deviceEvent = deviceEvent;
        this.features = features;
    }

    /**
     * Why these parameters cannot form a packed queue, if they cannot: the size must be in 1..{@link #MAX_SIZE}
     * (any value, not only powers of two), and each part must be aligned and lie inside guest memory with the
     * sizes of the §2.8.10.1 table. Flags are accessed atomically, which needs the alignment too.
     */
    public static Optional<String> layoutProblem(GuestMemory memory, int size, long descRing, long driverEvent,
                                                 long deviceEvent) {
        if (!validSize(size)) {
            return Optional.of("queue size " + size + " is outside 1.." + MAX_SIZE);
        }
        String desc = RingArea.problem(memory, "descriptor area", descRing, DESC_ALIGN, (long) DESC_SIZE * size);
        String driver = RingArea.problem(memory, "driver area", driverEvent, EVENT_ALIGN, EVENT_SIZE);
        String device = RingArea.problem(memory, "device area", deviceEvent, EVENT_ALIGN, EVENT_SIZE);
        return RingArea.first(desc, driver, device);
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

    /** Guest address of the descriptor ring. */
    public long descriptorArea() {
        return descRing;
    }

    /** Ring slot where the next available chain starts. */
    public int nextAvail() {
        return nextAvail;
    }

    /** The device's copy of the driver ring wrap counter: the AVAIL value that marks the next chain available. */
    public boolean availWrapCounter() {
        return availWrap;
    }

    /** Ring slot of the next used descriptor. */
    public int nextUsed() {
        return nextUsed;
    }

    /** Device ring wrap counter: the AVAIL and USED value of the next used descriptor. */
    public boolean usedWrapCounter() {
        return usedWrap;
    }

    /** Free-running count of used descriptors written (mod 2^16); a packed ring has no used index of its own. */
    @Override
    public int usedIdx() {
        return usedIdx;
    }

    /**
     * The next available chain, or empty when the descriptor at the next available slot is not marked available.
     * With EVENT_IDX, finding nothing also publishes the device event structure (see {@link #askForNextKick}).
     *
     * @throws MalformedChainException when the chain breaks the packed ring rules; the queue state is left unchanged
     */
    @Override
    public Optional<DescriptorChain> pop() {
        // Acquire: everything the driver wrote before the head's flags (the rest of the chain) is visible after.
        int headFlags = memory.u16Acquire(descAt(nextAvail) + DESC_FLAGS);
        if (!isAvailable(headFlags, availWrap)) {
            if (!features.eventIdx()) {
                return Optional.empty();
            }
            headFlags = askForNextKick();
            if (!isAvailable(headFlags, availWrap)) {
                return Optional.empty();
            }
        }
        ChainBuilder chain = new ChainBuilder(memory);
        int slot = nextAvail;
        boolean wrap = availWrap;
        int flags = headFlags;
        int id;
        int n = 0;
        while (true) {
            if (n == size - held) {
                if (held == 0) {
                    throw MalformedChainException.of("chain at slot %d has more than %d descriptors, the queue size",
                            nextAvail, size);
                }
                // The slots after these are still the device's: the driver cannot have made them available again.
                throw MalformedChainException.of("chain at slot %d runs past %d descriptors into the %d slots the "
                        + "device has not returned yet", nextAvail, n, held);
            }
            long d = descAt(slot);
            if (n > 0) {
                flags = memory.u16(d + DESC_FLAGS);
                if (!isAvailable(flags, wrap)) {
                    // The head was made available before the rest of its list (§2.8.17), or the wrap bits are off.
                    throw MalformedChainException.of("descriptor %d of the chain at slot %d (slot %d) is not marked "
                            + "available: flags 0x%x, driver wrap counter %d", n, nextAvail, slot, flags, wrap ? 1 : 0);
                }
            }
            long addr = memory.u64(d + DESC_ADDR);
            long len = memory.u32(d + DESC_LEN);
            id = memory.u16(d + DESC_ID);
            if ((flags & F_INDIRECT) != 0) {
                readIndirect(chain, n, addr, len, flags);
            } else {
                String problem = chain.add(addr, len, (flags & F_WRITE) != 0);
                if (problem != null) {
                    throw MalformedChainException.of("descriptor %d of the chain at slot %d %s (flags 0x%x)", n,
                            nextAvail, problem, flags);
                }
            }
            n++;
            slot++;
            if (slot == size) {
                slot = 0;
                wrap = !wrap;
            }
            if ((flags & F_NEXT) == 0) {
                break;
            }
        }
        // The buffer id is the one in the last descriptor of the list (§2.8.6); a chain takes one slot per ring
        // descriptor, however many entries an indirect table holds.
        DescriptorChain result = new DescriptorChain(id, chain.segments(), n);
        nextAvail = slot;
        availWrap = wrap;
        held += n;
        return Optional.of(result);
    }

    /**
     * An indirect descriptor must stand alone: §2.8.5 lets a list hold descriptors of one type only, and §2.8.19
     * forbids INDIRECT in a list linked by NEXT, so it may be neither after a NEXT nor carry NEXT itself. Its
     * WRITE bit is reserved and ignored (§2.8.7); the table's entries say which way each buffer goes.
     */
    private void readIndirect(ChainBuilder chain, int n, long addr, long len, int flags) {
        if (!features.indirect()) {
            throw MalformedChainException.of("descriptor %d of the chain at slot %d has INDIRECT set (flags 0x%x) "
                    + "but indirect descriptors were not negotiated", n, nextAvail, flags);
        }
        if (n > 0 || (flags & F_NEXT) != 0) {
            throw MalformedChainException.of("descriptor %d of the chain at slot %d has INDIRECT set (flags 0x%x) "
                    + "in a list linked by NEXT", n, nextAvail, flags);
        }
        IndirectTable.at(memory, addr, len, () -> "descriptor " + n + " of the chain at slot " + nextAvail)
                .readPacked(chain);
    }

    /**
     * §2.8.10 with EVENT_IDX: the device has drained the ring, so it asks to be notified when the driver makes
     * the descriptor at its next available position available, by publishing that position with the DESC flag
     * in the device event structure. Then it looks at that descriptor again: a driver that made it available
     * just before reading the old event position may have decided not to notify. Returns the flags re-read.
     */
    private int askForNextKick() {
        memory.putU16Release(deviceEvent + EVENT_OFF_WRAP, offWrap(nextAvail, availWrap));
        memory.putU16Release(deviceEvent + EVENT_FLAGS, EVENT_DESC);
        // Full fence: the event stores must be visible before the flags load, or both sides could miss.
        VarHandle.fullFence();
        return memory.u16Acquire(descAt(nextAvail) + DESC_FLAGS);
    }

    private long descAt(int slot) {
        return descRing + (long) DESC_SIZE * slot;
    }

    /**
     * Returns a chain to the driver: writes one used descriptor (buffer id, {@code usedLen}) at the next used
     * slot, then its flags with a release store, and moves on by the chain's descriptor count. WRITE is set when
     * {@code usedLen} is not zero, the spec's way of saying that data was written. {@code usedLen} is taken as
     * given, so that a deliberately faulty device can report a wrong length.
     */
    @Override
    public void push(DescriptorChain chain, long usedLen) {
        writeUsed(chain.head(), usedLen, chain.descriptorCount());
    }

    /**
     * In-order batch (§2.8.8, needs IN_ORDER): one used descriptor, with the buffer id of the last chain and
     * {@code lastUsedLen}, overwrites the first descriptor of the batch, and the used position skips the
     * descriptors of every chain in the batch. The driver takes every chain before the last as used in full.
     *
     * @throws IllegalStateException when IN_ORDER was not negotiated
     */
    @Override
    public void pushBatch(List<DescriptorChain> chains, long lastUsedLen) {
        if (!features.inOrder()) {
            throw new IllegalStateException("a batch of used buffers needs VIRTIO_F_IN_ORDER, which was not negotiated");
        }
        if (chains.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one chain");
        }
        long slots = 0;
        for (DescriptorChain c : chains) {
            slots += c.descriptorCount();
        }
        writeUsed(chains.get(chains.size() - 1).head(), lastUsedLen, (int) Math.min(slots, Integer.MAX_VALUE));
    }

    /** Writes one used descriptor at the used position, then moves the position on by {@code slots}. */
    private void writeUsed(int id, long usedLen, int slots) {
        if (slots < 1 || slots > held) {
            throw new IllegalArgumentException("chains of " + slots + " descriptors were not taken from this queue: "
                    + held + " descriptors are held");
        }
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("buffer id " + id + " does not fit the 16-bit id field");
        }
        if (usedLen < 0 || usedLen > 0xffff_ffffL) {
            throw new IllegalArgumentException("used length " + usedLen + " does not fit the 32-bit len field");
        }
        long d = descAt(nextUsed);
        memory.putU32(d + DESC_LEN, usedLen);
        memory.putU16(d + DESC_ID, id);
        // Release: id, len and the data written into the buffer are visible before the descriptor turns used.
        memory.putU16Release(d + DESC_FLAGS, usedBits(usedWrap) | (usedLen > 0 ? F_WRITE : 0));
        nextUsed += slots;
        if (nextUsed >= size) {
            nextUsed -= size;
            usedWrap = !usedWrap;
        }
        held -= slots;
        // Saturates at a whole lap, which is all the notification decision needs to know.
        unsignalledSlots = Math.min(unsignalledSlots + slots, size);
        usedIdx = (usedIdx + 1) & 0xffff;
    }

    /**
     * Whether the used descriptors written since the previous call need a used buffer notification, by the
     * driver event suppression flags (§2.8.10, §2.8.14). DISABLE: no. DESC, with EVENT_IDX: exactly when the used
     * position moved past the descriptor off_wrap names, which may lie in the previous lap. ENABLE, the reserved
     * value, and DESC without EVENT_IDX (where it is not valid): yes.
     */
    @Override
    public boolean takeUsedNotification() {
        int moved = unsignalledSlots;
        unsignalledSlots = 0;
        if (moved == 0) {
            return false;
        }
        // Full fence: the used flags store must not pass the loads below, or a driver that re-enables
        // notifications right after its last check could be left waiting.
        VarHandle.fullFence();
        int flags = memory.u16(driverEvent + EVENT_FLAGS) & EVENT_FLAGS_MASK;
        if (flags == EVENT_DISABLE) {
            return false;
        }
        if (flags == EVENT_DESC && features.eventIdx()) {
            // A whole lap or more passes every slot, including the one named.
            return moved >= size
                    || EventIdx.needPackedEvent(memory.u16(driverEvent + EVENT_OFF_WRAP), nextUsed, usedWrap, moved, size);
        }
        return true;
    }

    @Override
    public String toString() {
        return String.format("PackedDeviceQueue[size=%d, desc=0x%x, driverEvent=0x%x, deviceEvent=0x%x, "
                        + "nextAvail=%d/%d, nextUsed=%d/%d, held=%d, %s]", size, descRing, driverEvent, deviceEvent,
                nextAvail, availWrap ? 1 : 0, nextUsed, usedWrap ? 1 : 0, held, features);
    }
}
