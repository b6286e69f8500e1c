package org.virtiotck.driver.ring.packed;

import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.Finding.Kind;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.ChainTrace;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.EventIdx;
import org.virtiotck.driver.ring.IndirectTables;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.trace.RequestTrace;

/**
 * Driver side of a packed virtqueue (VIRTIO 1.2 §2.8), with indirect tables, event suppression in descriptor
 * mode and in-order batches when negotiated.
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
    /** Entries per indirect table: longer chains go direct. */
    public static final int INDIRECT_ENTRIES = 16;
    private static final PackedDescriptor ZERO = new PackedDescriptor(0, 0, 0, 0);

    private final RawPackedRing raw;
    private final int index;
    private final int size;
    private final RingFeatures features;
    private final IndirectTables tables;      // null without INDIRECT_DESC

    private final PackedDescriptor[] shadow;  // per slot: what the driver wrote, or the used descriptor it read
    private final int[] freeIds;
    private int freeIdTop;
    private final Chain[] inFlight;           // by buffer id
    private final int[] chainLength;          // ring slots each in-flight buffer id took
    private final PackedDescriptor[][] tableShadow;  // indirect table contents of each in-flight id, or null
    private final boolean[] completed;        // id completed and not made available since
    private final ArrayDeque<Integer> submitted = new ArrayDeque<>();  // IN_ORDER only: ids in flight, oldest first
    private final ArrayDeque<Completion> batch = new ArrayDeque<>();   // IN_ORDER batch completions not yet returned
    private int inFlightDescriptors;
    private int nextAvail;
    private boolean availWrap = true;
    private int nextUsed;
    private boolean usedWrap = true;
    private int addedSinceKick;
    private int driverEventShadow;            // off_wrap | flags<<16, as the driver wrote it (zero: enabled)
    private boolean reportedDeviceEvent;
    private boolean broken;
    private final List<Finding> findings = new ArrayList<>();
    private RequestTrace trace = RequestTrace.OFF;

    private PackedVirtqueue(RawPackedRing raw, int index, RingFeatures features, IndirectTables tables) {
        this.raw = raw;
        this.index = index;
        this.size = raw.size();
        this.features = features;
        this.tables = tables;
        this.shadow = new PackedDescriptor[size];     // the allocator zeroed the ring, as §2.8.13 wants
        java.util.Arrays.fill(shadow, ZERO);
        this.freeIds = new int[size];
        for (int i = 0; i < size; i++) {
            freeIds[i] = size - 1 - i;
        }
        this.freeIdTop = size;
        this.inFlight = new Chain[size];
        this.chainLength = new int[size];
        this.tableShadow = new PackedDescriptor[size][];
        this.completed = new boolean[size];
    }

    /** Lays out a queue of {@code size} entries in zeroed memory from the allocator, without ring features. */
    public static PackedVirtqueue allocate(Allocator alloc, int index, int size) {
        return allocate(alloc, index, size, RingFeatures.NONE);
    }

    /** Lays out a queue of {@code size} entries, and an indirect table per buffer id when INDIRECT_DESC is on. */
    public static PackedVirtqueue allocate(Allocator alloc, int index, int size, RingFeatures features) {
        if (!validSize(size)) {
            throw new IllegalArgumentException("packed queue size " + size + " is outside 1.." + MAX_SIZE);
        }
        RawPackedRing raw = RawPackedRing.allocate(alloc, size);
        IndirectTables tables = features.indirect()
                ? IndirectTables.allocate(alloc, size, Math.min(size, INDIRECT_ENTRIES)) : null;
        return new PackedVirtqueue(raw, index, features, tables);
    }

    /** The ring underneath, for probes that need to write a field as no well-behaved driver would. */
    public RawPackedRing raw() {
        return raw;
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
        return raw.descriptorArea();
    }

    /** The driver event suppression structure (written by the driver, read by the device). */
    @Override
    public long driverArea() {
        return raw.driverArea();
    }

    /** The device event suppression structure (written by the device; this driver never writes it). */
    @Override
    public long deviceArea() {
        return raw.deviceArea();
    }

    @Override
    public RingFeatures features() {
        return features;
    }

    /** Ring slots not in flight: the longest direct chain {@link #add} accepts right now. */
    @Override
    public int freeDescriptors() {
        return size - inFlightDescriptors;
    }

    @Override
    public int maxIndirect() {
        return tables == null ? 0 : tables.entries();
    }

    /** True once an inconsistency left the driver unable to find the device's next used descriptor. */
    public boolean abandoned() {
        return broken;
    }

    @Override
    public Chain add(List<Buffer> readable, List<Buffer> writable, boolean indirect) {
        List<Buffer> all = new ArrayList<>(readable);
        all.addAll(writable);
        int n = all.size();
        if (n == 0) {
            throw new IllegalArgumentException("a chain needs at least one buffer");
        }
        if (indirect && n > maxIndirect()) {
            throw new IllegalArgumentException("queue " + index + " cannot put " + n + " buffers in an indirect table"
                    + (tables == null ? ": INDIRECT_DESC was not negotiated" : " of " + maxIndirect()));
        }
        if (!indirect && n > size) {
            // §2.8.17: a list never exceeds the queue size.
            throw new IllegalArgumentException("a chain of " + n + " descriptors is longer than queue " + index
                    + "'s size " + size);
        }
        int slots = indirect ? 1 : n;
        if (slots > freeDescriptors() || freeIdTop == 0) {
            throw new IllegalStateException("queue " + index + " has " + freeDescriptors()
                    + " free descriptors, chain needs " + slots);
        }
        int id = freeIds[--freeIdTop];
        for (int i = 0; i < slots; i++) {
            checkUnchanged(slot(i), "before reuse");
        }
        if (indirect) {
            long table = tables.address(id);
            tableShadow[id] = new PackedDescriptor[n];
            for (int i = 0; i < n; i++) {
                // WRITE is the only flag an indirect table entry carries; the id there is reserved (§2.8.7).
                Buffer b = all.get(i);
                tableShadow[id][i] = new PackedDescriptor(b.address(), b.length() & 0xffffffffL, 0,
                        b.deviceWritable() ? F_WRITE : 0);
                tableShadow[id][i].write(raw.memory(), table + (long) DESC_SIZE * i);
            }
            publish(nextAvail, new PackedDescriptor(table, (long) DESC_SIZE * n, id, F_INDIRECT | availBits(availWrap)));
        } else {
            // Tail descriptors first, complete with their flags; the device looks only at the head until it turns.
            for (int i = 1; i < n; i++) {
                writeSlot(slot(i), descriptorFor(all, i, id), false);
            }
            // The head last: its flags store (release) makes the whole chain visible at once (§2.8.6, §2.8.21.1).
            writeSlot(nextAvail, descriptorFor(all, 0, id), true);
        }
        Chain chain = new Chain(id, readable, writable);
        inFlight[id] = chain;
        chainLength[id] = slots;
        completed[id] = false;
        if (features.inOrder()) {
            submitted.addLast(id);
        }
        if (trace.on()) {
            int[] ringSlots = new int[slots];
            for (int i = 0; i < slots; i++) {
                ringSlots[i] = slot(i);
            }
            trace.record(ChainTrace.added(index, id, "at slot " + nextAvail + " wrap " + (availWrap ? 1 : 0), all,
                    ringSlots, indirect ? tables.address(id) : -1));
        }
        inFlightDescriptors += slots;
        addedSinceKick += slots;
        nextAvail += slots;
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

    private PackedDescriptor descriptorFor(List<Buffer> all, int i, int id) {
        Buffer b = all.get(i);
        boolean wrap = nextAvail + i >= size ? !availWrap : availWrap;
        int flags = (i < all.size() - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0) | availBits(wrap);
        return new PackedDescriptor(b.address(), b.length() & 0xffffffffL, id, flags);
    }

    private void writeSlot(int slot, PackedDescriptor d, boolean publish) {
        if (publish) {
            raw.publish(slot, d);
        } else {
            raw.descriptor(slot, d);
        }
        shadow[slot] = d;
    }

    private void publish(int slot, PackedDescriptor d) {
        writeSlot(slot, d, true);
    }

    /** Compares a slot the driver owns with its shadow; a difference is a device write it had no right to. */
    private void checkUnchanged(int slot, String when) {
        String diff = shadowDifference(slot);
        if (diff != null) {
            findings.add(new Finding(Kind.PACKED_DESCRIPTOR_WRITTEN, diff + " (seen " + when + ")"));
        }
    }

    private String shadowDifference(int slot) {
        PackedDescriptor now = raw.descriptor(slot);
        return now.equals(shadow[slot]) ? null
                : String.format("queue %d: ring slot %d was %s, now %s", index, slot, shadow[slot], now);
    }

    @Override
    public boolean notificationNeeded() {
        // Full fence: the head flags must be visible before the device event structure is read (§2.8.21.3.1).
        VarHandle.fullFence();
        int flags = raw.deviceEventFlags() & EVENT_FLAGS_MASK;
        boolean need = switch (flags) {
            case EVENT_ENABLE -> true;
            case EVENT_DISABLE -> false;
            case EVENT_DESC -> !features.eventIdx() ? invalidDeviceEvent(flags) : addedSinceKick >= size
                    || EventIdx.needPackedEvent(raw.deviceEventOffWrap(), nextAvail, availWrap, addedSinceKick, size);
            default -> invalidDeviceEvent(flags);
        };
        addedSinceKick = 0;
        return need;
    }

    /** Records a device event mode the device may not use, once, and notifies anyway. */
    private boolean invalidDeviceEvent(int flags) {
        if (!reportedDeviceEvent) {
            reportedDeviceEvent = true;
            findings.add(new Finding(Kind.DEVICE_EVENT_INVALID, String.format(
                    "queue %d: device event suppression flags read %d (off_wrap 0x%x) with EVENT_IDX %s", index, flags,
                    raw.deviceEventOffWrap(), features.eventIdx() ? "negotiated" : "not negotiated")));
        }
        return true;
    }

    @Override
    public void enableUsedNotifications() {
        // With EVENT_IDX, ask for the descriptor the next used buffer will land on; otherwise for every one.
        if (features.eventIdx()) {
            setDriverEvent(offWrap(nextUsed, usedWrap), EVENT_DESC);
        } else {
            setDriverEvent(0, EVENT_ENABLE);
        }
    }

    @Override
    public void disableUsedNotifications() {
        setDriverEvent(driverEventShadow & 0xffff, EVENT_DISABLE);
    }

    /** Where the device's next used descriptor will appear: ring slot and wrap counter, as off_wrap. */
    public int nextUsedOffWrap() {
        return offWrap(nextUsed, usedWrap);
    }

    /**
     * Writes the driver event suppression structure as given: the device is asked to notify as {@code flags} says
     * (with EVENT_DESC, once it writes the used descriptor at {@code offWrap}). The shadow follows, so this is not
     * mistaken for a device write.
     */
    public void setDriverEvent(int offWrap, int flags) {
        raw.driverEvent(offWrap, flags);
        driverEventShadow = offWrap | flags << 16;
    }

    @Override
    public void trace(RequestTrace trace) {
        this.trace = trace;
    }

    @Override
    public Optional<Completion> poll() {
        Optional<Completion> c = nextCompletion();
        if (c.isPresent() && trace.on()) {
            trace.record(ChainTrace.used(index, c.get(), "next used slot " + nextUsed + " wrap " + (usedWrap ? 1 : 0)));
        }
        return c;
    }

    private Optional<Completion> nextCompletion() {
        if (!batch.isEmpty()) {
            return Optional.of(batch.poll());
        }
        // With nothing in flight no slot is the device's to write; writes to free slots show up in the shadow.
        if (broken || inFlightDescriptors == 0) {
            return Optional.empty();
        }
        PackedDescriptor d = raw.descriptor(nextUsed);
        if (isAvailable(d.flags(), usedWrap)) {
            return Optional.empty();          // still the driver's available descriptor: not used yet
        }
        if (!isUsed(d.flags(), usedWrap)) {
            // An in-flight slot holds either our available descriptor or a used one from this lap; anything
            // else means the device's wrap counter disagrees with ours (§2.8.1), and no later slot can be trusted.
            abandon(Kind.PACKED_BAD_WRAP, String.format(
                    "queue %d: ring slot %d holds %s (AVAIL %d, USED %d) but the ring wrap counter is %d; %d "
                            + "descriptors in flight", index, nextUsed, d, bit(d.flags(), F_AVAIL),
                    bit(d.flags(), F_USED), usedWrap ? 1 : 0, inFlightDescriptors));
            return Optional.empty();
        }
        shadow[nextUsed] = d;
        int id = d.id();
        if (id >= size || inFlight[id] == null) {
            // Without the chain's length the driver cannot tell where the next used descriptor goes.
            boolean twice = id < size && completed[id];
            abandon(twice ? Kind.USED_ID_COMPLETED_TWICE : Kind.USED_ID_NOT_AVAILABLE, String.format(
                    "queue %d: used descriptor in ring slot %d is %s; ids in flight: %s", index, nextUsed, d,
                    Chain.inFlightIds(inFlight)));
            return Optional.empty();
        }
        int slot = nextUsed;
        // One used descriptor per buffer, skipping the rest of its slots (§2.8.6); under IN_ORDER one per batch,
        // skipping every slot of the batch (§2.8.8), and the buffers before this one count as used completely.
        int skipped = chainLength[id];
        if (features.inOrder()) {
            while (submitted.peekFirst() != id) {
                int earlier = submitted.peekFirst();
                skipped += chainLength[earlier];
                batch.add(Completion.inferred(release(earlier)));
            }
        }
        nextUsed += skipped;
        if (nextUsed >= size) {
            nextUsed -= size;
            usedWrap = !usedWrap;
        }
        Chain chain = release(id);
        // Without WRITE the len field is reserved and the device wrote nothing (§2.8.3, §2.8.4).
        long usedLen = (d.flags() & F_WRITE) != 0 ? d.len() : 0;
        if (usedLen > chain.writableBytes()) {
            findings.add(new Finding(Kind.USED_LEN_TOO_LARGE, String.format(
                    "queue %d: buffer id %d completed in ring slot %d with len %d but the chain has %d "
                            + "device-writable bytes", index, id, slot, usedLen, chain.writableBytes())));
        }
        Completion done = new Completion(chain, usedLen);
        if (batch.isEmpty()) {
            return Optional.of(done);
        }
        batch.add(done);
        return Optional.of(batch.poll());
    }

    private void abandon(Kind kind, String detail) {
        broken = true;
        findings.add(new Finding(kind, detail + "; queue abandoned"));
    }

    /** Takes buffer id's chain out of flight, checks its indirect table against the shadow, and frees the id. */
    private Chain release(int id) {
        Chain chain = inFlight[id];
        inFlight[id] = null;
        completed[id] = true;
        inFlightDescriptors -= chainLength[id];
        if (features.inOrder()) {
            submitted.remove(id);         // the oldest, or the batch's last: found at or near the front
        }
        freeIds[freeIdTop++] = id;
        if (tableShadow[id] != null) {
            long table = tables.address(id);
            for (int i = 0; i < tableShadow[id].length; i++) {
                PackedDescriptor now = PackedDescriptor.read(raw.memory(), table + (long) DESC_SIZE * i);
                if (!now.equals(tableShadow[id][i])) {
                    findings.add(new Finding(Kind.INDIRECT_TABLE_WRITTEN, String.format(
                            "queue %d: indirect table of buffer id %d at 0x%x, entry %d was %s, now %s",
                            index, id, table, i, tableShadow[id][i], now)));
                }
            }
            tableShadow[id] = null;
        }
        return chain;
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
        int event = raw.driverEvent();
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
