package org.virtiotck.driver.ring.packed;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.Finding.Kind;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;

/**
 * Driver side of a packed virtqueue (VIRTIO 1.2 §2.8), plain descriptor chains only: no indirect descriptors,
 * no VIRTIO_F_EVENT_IDX, used buffer notifications left enabled.
 *
 * <p>The descriptor ring is shared: the device overwrites available descriptors with used ones. The driver
 * keeps a shadow of every slot (what it wrote there, or the used descriptor it read there) and compares it
 * before it writes the slot again, so a device that writes a slot it did not own is caught. Every used
 * descriptor is checked before it is trusted. When the driver can no longer tell where the device's next used
 * descriptor is (an unknown buffer id, wrap bits that fit neither state), it records one finding and abandons
 * the queue instead of guessing or looping.
 *
 * <p>Positions: {@code nextAvail}/{@code availWrap} is where the next chain goes, {@code nextUsed}/{@code
 * usedWrap} where the device's next used descriptor will appear. The slots from nextUsed up to nextAvail are in
 * flight (the device's); the rest are free (the driver's).
 */
public final class PackedVirtqueue implements Virtqueue {
    private final GuestMemory mem;
    private final int index;
    private final int size;
    private final long ring;
    private final long driverEvent;
    private final long deviceEvent;

    private final long[] shadow;              // per slot: addr, then len | id<<32 | flags<<48
    private final int[] freeIds;
    private int freeIdTop;
    private final Chain[] inFlight;           // by buffer id
    private final int[] chainLength;          // descriptors of each in-flight buffer id
    private final boolean[] completed;        // id completed and not made available since
    private int inFlightDescriptors;
    private int nextAvail;
    private boolean availWrap = true;
    private int nextUsed;
    private boolean usedWrap = true;
    private final long driverEventShadow;     // off_wrap | flags<<16, as the driver wrote it (zero: enabled)
    private boolean broken;
    private final List<Finding> findings = new ArrayList<>();

    private PackedVirtqueue(GuestMemory mem, int index, int size, long ring, long driverEvent, long deviceEvent) {
        this.mem = mem;
        this.index = index;
        this.size = size;
        this.ring = ring;
        this.driverEvent = driverEvent;
        this.deviceEvent = deviceEvent;
        this.shadow = new long[2 * size];     // the allocator zeroed the ring, as §2.8.13 wants
        this.freeIds = new int[size];
        for (int i = 0; i < size; i++) {
            freeIds[i] = size - 1 - i;
        }
        this.freeIdTop = size;
        this.inFlight = new Chain[size];
        this.chainLength = new int[size];
        this.completed = new boolean[size];
        this.driverEventShadow = 0;
    }

    /** Lays out a queue of {@code size} entries in zeroed memory from the allocator. */
    public static PackedVirtqueue allocate(Allocator alloc, int index, int size) {
        if (!validSize(size)) {
            throw new IllegalArgumentException("packed queue size " + size + " is outside 1.." + MAX_SIZE);
        }
        long ring = alloc.ring(descRingBytes(size), DESC_ALIGN);
        long driverEvent = alloc.ring(EVENT_SIZE, EVENT_ALIGN);
        long deviceEvent = alloc.ring(EVENT_SIZE, EVENT_ALIGN);
        return new PackedVirtqueue(alloc.memory(), index, size, ring, driverEvent, deviceEvent);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int size() {
        return size;
    }

    /** The descriptor ring. */
    @Override
    public long descriptorArea() {
        return ring;
    }

    /** The driver event suppression structure (written by the driver, read by the device). */
    @Override
    public long driverArea() {
        return driverEvent;
    }

    /** The device event suppression structure (written by the device; this driver never writes it). */
    @Override
    public long deviceArea() {
        return deviceEvent;
    }

    /** Ring slots not in flight: the longest chain {@link #add} accepts right now. */
    public int freeDescriptors() {
        return size - inFlightDescriptors;
    }

    /** True once an inconsistency left the driver unable to find the device's next used descriptor. */
    public boolean abandoned() {
        return broken;
    }

    @Override
    public Chain add(List<Buffer> readable, List<Buffer> writable) {
        int n = readable.size() + writable.size();
        if (n == 0) {
            throw new IllegalArgumentException("a chain needs at least one buffer");
        }
        if (n > size) {
            // §2.8.17: a list never exceeds the queue size.
            throw new IllegalArgumentException("a chain of " + n + " descriptors is longer than queue " + index
                    + "'s size " + size);
        }
        if (n > freeDescriptors()) {
            throw new IllegalStateException("queue " + index + " has " + freeDescriptors()
                    + " free descriptors, chain needs " + n);
        }
        List<Buffer> all = new ArrayList<>(readable);
        all.addAll(writable);
        int id = freeIds[--freeIdTop];
        for (int i = 0; i < n; i++) {
            checkUnchanged(slot(i), "before reuse");
        }
        // Tail descriptors first, complete with their flags; the device looks only at the head until it turns.
        for (int i = 1; i < n; i++) {
            writeDescriptor(slot(i), all.get(i), id, flagsFor(i, n, all.get(i)), false);
        }
        // The head last: its flags store (release) makes the whole chain visible at once (§2.8.6, §2.8.21.1).
        writeDescriptor(nextAvail, all.get(0), id, flagsFor(0, n, all.get(0)), true);

        Chain chain = new Chain(id, readable, writable);
        inFlight[id] = chain;
        chainLength[id] = n;
        completed[id] = false;
        inFlightDescriptors += n;
        nextAvail += n;
        if (nextAvail >= size) {
            nextAvail -= size;
            availWrap = !availWrap;
        }
        return chain;
    }

    /** Ring slot of the i-th descriptor of the chain starting at nextAvail. */
    private int slot(int i) {
        int s = nextAvail + i;
        return s >= size ? s - size : s;
    }

    private int flagsFor(int i, int n, Buffer b) {
        boolean wrap = nextAvail + i >= size ? !availWrap : availWrap;
        return (i < n - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0) | availBits(wrap);
    }

    private void writeDescriptor(int slot, Buffer b, int id, int flags, boolean publish) {
        long at = ring + (long) DESC_SIZE * slot;
        mem.putU64(at + DESC_ADDR, b.address());
        mem.putU32(at + DESC_LEN, b.length() & 0xffffffffL);
        mem.putU16(at + DESC_ID, id);
        if (publish) {
            mem.putU16Release(at + DESC_FLAGS, flags);
        } else {
            mem.putU16(at + DESC_FLAGS, flags);
        }
        shadow[2 * slot] = b.address();
        shadow[2 * slot + 1] = (b.length() & 0xffffffffL) | (long) id << 32 | (long) flags << 48;
    }

    /** Compares a slot the driver owns with its shadow; a difference is a device write it had no right to. */
    private void checkUnchanged(int slot, String when) {
        String diff = shadowDifference(slot);
        if (diff != null) {
            findings.add(new Finding(Kind.PACKED_DESCRIPTOR_WRITTEN, diff + " (seen " + when + ")"));
        }
    }

    private String shadowDifference(int slot) {
        long at = ring + (long) DESC_SIZE * slot;
        long addr = mem.u64(at + DESC_ADDR);
        long rest = mem.u32(at + DESC_LEN) | (long) mem.u16(at + DESC_ID) << 32 | (long) mem.u16(at + DESC_FLAGS) << 48;
        if (addr == shadow[2 * slot] && rest == shadow[2 * slot + 1]) {
            return null;
        }
        long was = shadow[2 * slot + 1];
        return String.format("queue %d: ring slot %d was addr 0x%x len %d id %d flags 0x%x, now addr 0x%x len %d "
                        + "id %d flags 0x%x", index, slot, shadow[2 * slot], was & 0xffffffffL, was >>> 32 & 0xffff,
                was >>> 48, addr, rest & 0xffffffffL, rest >>> 32 & 0xffff, rest >>> 48);
    }

    @Override
    public Optional<Completion> poll() {
        // With nothing in flight no slot is the device's to write; writes to free slots show up in the shadow.
        if (broken || inFlightDescriptors == 0) {
            return Optional.empty();
        }
        long at = ring + (long) DESC_SIZE * nextUsed;
        // Acquire: id and len written before the flags are visible once the flags are.
        int flags = mem.u16Acquire(at + DESC_FLAGS);
        if (isAvailable(flags, usedWrap)) {
            return Optional.empty();          // still the driver's available descriptor: not used yet
        }
        long addr = mem.u64(at + DESC_ADDR);
        long len = mem.u32(at + DESC_LEN);
        int id = mem.u16(at + DESC_ID);
        if (!isUsed(flags, usedWrap)) {
            // An in-flight slot holds either our available descriptor or a used one from this lap; anything
            // else means the device's wrap counter disagrees with ours (§2.8.1), and no later slot can be trusted.
            broken = true;
            findings.add(new Finding(Kind.PACKED_BAD_WRAP, String.format(
                    "queue %d: ring slot %d has flags 0x%x (AVAIL %d, USED %d, id %d, len %d) but the ring wrap "
                            + "counter is %d; %d descriptors in flight; queue abandoned",
                    index, nextUsed, flags, bit(flags, F_AVAIL), bit(flags, F_USED), id, len, usedWrap ? 1 : 0,
                    inFlightDescriptors)));
            return Optional.empty();
        }
        shadow[2 * nextUsed] = addr;
        shadow[2 * nextUsed + 1] = len | (long) id << 32 | (long) flags << 48;
        Chain chain = id < size ? inFlight[id] : null;
        if (chain == null) {
            // Without the chain's length the driver cannot tell where the next used descriptor goes.
            broken = true;
            boolean twice = id < size && completed[id];
            findings.add(new Finding(twice ? Kind.USED_ID_COMPLETED_TWICE : Kind.USED_ID_NOT_AVAILABLE, String.format(
                    "queue %d: used descriptor in ring slot %d has buffer id %d, len %d, flags 0x%x; ids in flight: "
                            + "%s; queue abandoned", index, nextUsed, id, len, flags, Chain.inFlightIds(inFlight))));
            return Optional.empty();
        }
        int n = chainLength[id];
        int slot = nextUsed;
        // Skip the rest of the chain: the device writes one used descriptor per buffer (§2.8.6).
        nextUsed += n;
        if (nextUsed >= size) {
            nextUsed -= size;
            usedWrap = !usedWrap;
        }
        inFlight[id] = null;
        completed[id] = true;
        inFlightDescriptors -= n;
        freeIds[freeIdTop++] = id;
        // Without WRITE the len field is reserved and the device wrote nothing (§2.8.3, §2.8.4).
        long usedLen = (flags & F_WRITE) != 0 ? len : 0;
        if (usedLen > chain.writableBytes()) {
            findings.add(new Finding(Kind.USED_LEN_TOO_LARGE, String.format(
                    "queue %d: buffer id %d completed in ring slot %d with len %d but the chain has %d "
                            + "device-writable bytes", index, id, slot, usedLen, chain.writableBytes())));
        }
        return Optional.of(new Completion(chain, usedLen));
    }

    private static int bit(int flags, int mask) {
        return (flags & mask) != 0 ? 1 : 0;
    }

    /**
     * Findings so far, plus what the device wrote right now where it must not: free ring slots (which the driver
     * has not checked yet because it has not reused them) and the driver event suppression structure.
     */
    @Override
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        int slot = nextAvail;
        for (int i = freeDescriptors(); i > 0; i--) {
            String diff = shadowDifference(slot);
            if (diff != null) {
                all.add(new Finding(Kind.PACKED_DESCRIPTOR_WRITTEN, diff + " (a free slot)"));
            }
            slot = slot + 1 == size ? 0 : slot + 1;
        }
        long event = mem.u16(driverEvent + EVENT_OFF_WRAP) | (long) mem.u16(driverEvent + EVENT_FLAGS) << 16;
        if (event != driverEventShadow) {
            all.add(new Finding(Kind.DRIVER_EVENT_WRITTEN, String.format(
                    "queue %d: driver event suppression was written as off_wrap 0x%x flags 0x%x, now reads "
                            + "off_wrap 0x%x flags 0x%x", index, driverEventShadow & 0xffff, driverEventShadow >>> 16,
                    event & 0xffff, event >>> 16)));
        }
        return all;
    }

    @Override
    public String toString() {
        return String.format("PackedVirtqueue[index=%d, size=%d, nextAvail=%d/%d, nextUsed=%d/%d, inFlight=%d%s]",
                index, size, nextAvail, availWrap ? 1 : 0, nextUsed, usedWrap ? 1 : 0, inFlightDescriptors,
                broken ? ", abandoned" : "");
    }
}
