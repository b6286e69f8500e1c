package org.virtiotck.driver.ring.split;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

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
 * Driver side of a split virtqueue (VIRTIO 1.2 §2.7), with indirect tables, event indices and in-order use
 * when negotiated. Keeps a shadow of every descriptor, indirect table entry and avail field it wrote, so a
 * device that writes them is caught, and checks every used element before trusting it.
 *
 * <p>Free descriptors are handed out first-in first-out. That is the ring order §2.7.9 asks for under
 * IN_ORDER (the device returns them in the order they went out), and otherwise it reuses a descriptor as late
 * as possible, which makes a device that still reads a completed chain easier to catch.
 */
public final class SplitVirtqueue implements Virtqueue {
    /** Entries per indirect table: longer chains go direct. */
    public static final int INDIRECT_ENTRIES = 16;

    private final RawSplitRing raw;
    private final int index;
    private final int size;
    private final RingFeatures features;
    private final IndirectTables tables;      // null without INDIRECT_DESC

    private final SplitDescriptor[] shadowDesc;
    private final int[] freeRing;             // FIFO of free descriptor indices
    private int freeHead;
    private int freeCount;
    private final Chain[] inFlight;           // by head id
    private final int[][] chainDescriptors;   // descriptor indices of each in-flight head
    private final SplitDescriptor[][] tableShadow;  // indirect table contents of each in-flight head, or null
    private final boolean[] completed;        // head completed and not made available since
    private final ArrayDeque<Integer> submitted = new ArrayDeque<>();  // IN_ORDER only: heads in flight, oldest first
    private final ArrayDeque<Completion> batch = new ArrayDeque<>();   // inferred completions not yet returned
    private int inFlightCount;
    private int availIdx;
    private int availIdxAtLastKick;
    private int availFlags;
    private int usedEvent;
    private int lastUsed;
    private int reportedJumpTo = -1;
    private boolean reportedUsedFlags;
    private boolean broken;
    private final List<Finding> findings = new ArrayList<>();
    private RequestTrace trace = RequestTrace.OFF;

    private SplitVirtqueue(RawSplitRing raw, int index, RingFeatures features, IndirectTables tables) {
        this.raw = raw;
        this.index = index;
        this.size = raw.size();
        this.features = features;
        this.tables = tables;
        this.shadowDesc = new SplitDescriptor[size];
        this.freeRing = new int[size];
        for (int i = 0; i < size; i++) {
            freeRing[i] = i;
            shadowDesc[i] = new SplitDescriptor(0, 0, 0, 0);
        }
        this.freeCount = size;
        this.inFlight = new Chain[size];
        this.chainDescriptors = new int[size][];
        this.tableShadow = new SplitDescriptor[size][];
        this.completed = new boolean[size];
    }

    /** Lays out a queue of {@code size} entries in memory from the allocator, without negotiated ring features. */
    public static SplitVirtqueue allocate(Allocator alloc, int index, int size) {
        return allocate(alloc, index, size, RingFeatures.NONE);
    }

    /** Lays out a queue of {@code size} entries, and an indirect table per descriptor when INDIRECT_DESC is on. */
    public static SplitVirtqueue allocate(Allocator alloc, int index, int size, RingFeatures features) {
        if (!validSize(size)) {
            throw new IllegalArgumentException("split queue size " + size + " is not a power of two in 1..32768");
        }
        RawSplitRing raw = RawSplitRing.allocate(alloc, size);
        IndirectTables tables = features.indirect()
                ? IndirectTables.allocate(alloc, size, Math.min(size, INDIRECT_ENTRIES)) : null;
        return new SplitVirtqueue(raw, index, features, tables);
    }

    /** The ring underneath, for probes that need to write a field as no well-behaved driver would. */
    public RawSplitRing raw() {
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

    @Override
    public long descriptorArea() {
        return raw.descriptorArea();
    }

    @Override
    public long driverArea() {
        return raw.driverArea();
    }

    @Override
    public long deviceArea() {
        return raw.deviceArea();
    }

    @Override
    public RingFeatures features() {
        return features;
    }

    @Override
    public int freeDescriptors() {
        return freeCount;
    }

    @Override
    public int maxIndirect() {
        return tables == null ? 0 : tables.entries();
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
        int needed = indirect ? 1 : n;
        if (needed > freeCount) {
            throw new IllegalStateException("queue " + index + " has " + freeCount + " free descriptors, chain needs "
                    + needed);
        }
        int[] ids = new int[needed];
        for (int i = 0; i < needed; i++) {
            ids[i] = freeRing[freeHead];
            freeHead = (freeHead + 1) & (size - 1);
            freeCount--;
        }
        int head = ids[0];
        if (indirect) {
            long table = tables.address(head);
            tableShadow[head] = linked(all, null);
            for (int i = 0; i < n; i++) {
                tableShadow[head][i].write(raw.memory(), table + (long) DESC_SIZE * i);
            }
            writeDescriptor(head, new SplitDescriptor(table, (long) DESC_SIZE * n, F_INDIRECT, 0));
        } else {
            SplitDescriptor[] chain = linked(all, ids);
            for (int i = 0; i < n; i++) {
                writeDescriptor(ids[i], chain[i]);
            }
        }
        Chain chain = new Chain(head, readable, writable);
        inFlight[head] = chain;
        chainDescriptors[head] = ids;
        completed[head] = false;
        inFlightCount++;
        if (features.inOrder()) {
            submitted.addLast(head);
        }
        raw.availEntry(availIdx, head);
        int slot = availIdx;
        availIdx = (availIdx + 1) & 0xffff;
        raw.publishAvailIdx(availIdx);
        if (trace.on()) {
            String where = "at avail[" + (slot & (size - 1)) + "], avail idx now " + availIdx;
            trace.record(ChainTrace.added(index, head, where, all, ids, indirect ? tables.address(head) : -1));
        }
        return chain;
    }

    /** Descriptors for buffers linked by NEXT through {@code ids}, or through table positions when ids is null. */
    private static SplitDescriptor[] linked(List<Buffer> buffers, int[] ids) {
        int n = buffers.size();
        SplitDescriptor[] d = new SplitDescriptor[n];
        for (int i = 0; i < n; i++) {
            Buffer b = buffers.get(i);
            boolean last = i == n - 1;
            int next = last ? 0 : ids == null ? i + 1 : ids[i + 1];
            d[i] = new SplitDescriptor(b.address(), b.length() & 0xffffffffL,
                    (last ? 0 : F_NEXT) | (b.deviceWritable() ? F_WRITE : 0), next);
        }
        return d;
    }

    private void writeDescriptor(int i, SplitDescriptor d) {
        raw.descriptor(i, d);
        shadowDesc[i] = d;
    }

    @Override
    public boolean notificationNeeded() {
        // Full fence: the avail idx store must be visible before the device's suppression fields are read, or a
        // device that just went to sleep could miss this batch (the "virtio_mb" of §2.7.13.4).
        VarHandle.fullFence();
        int flags = raw.usedFlags();
        int allowed = features.eventIdx() ? 0 : USED_F_NO_NOTIFY;
        if ((flags & ~allowed) != 0 && !reportedUsedFlags) {
            reportedUsedFlags = true;
            findings.add(new Finding(Kind.USED_FLAGS_INVALID, String.format(
                    "queue %d: used ring flags read 0x%x with EVENT_IDX %s", index, flags,
                    features.eventIdx() ? "negotiated" : "not negotiated")));
        }
        boolean need = features.eventIdx() ? EventIdx.needEvent(raw.availEvent(), availIdx, availIdxAtLastKick)
                : (flags & USED_F_NO_NOTIFY) == 0;
        availIdxAtLastKick = availIdx;
        return need;
    }

    @Override
    public void enableUsedNotifications() {
        if (features.eventIdx()) {
            usedEvent = lastUsed;           // notify as soon as the next entry is written
            raw.usedEvent(usedEvent);
        } else {
            availFlags = 0;
            raw.availFlags(availFlags);
        }
    }

    /** The used idx the driver expects next: the index of the next used ring entry it will read. */
    public int lastUsedIdx() {
        return lastUsed;
    }

    /**
     * Writes used_event as given (meaningful with EVENT_IDX): the device is asked to notify once it writes the used
     * entry with that index. The shadow follows, so this is not mistaken for a device write.
     */
    public void setUsedEvent(int idx) {
        usedEvent = idx & 0xffff;
        raw.usedEvent(usedEvent);
    }

    @Override
    public void disableUsedNotifications() {
        if (features.eventIdx()) {
            usedEvent = (lastUsed - 1) & 0xffff;   // the index furthest away: reached only after 2^16 entries
            raw.usedEvent(usedEvent);
        } else {
            availFlags = AVAIL_F_NO_INTERRUPT;
            raw.availFlags(availFlags);
        }
    }

    @Override
    public void trace(RequestTrace trace) {
        this.trace = trace;
    }

    @Override
    public Optional<Completion> poll() {
        Optional<Completion> c = nextCompletion();
        if (c.isPresent() && trace.on()) {
            trace.record(ChainTrace.used(index, c.get(), "used idx " + raw.usedIdx() + ", driver read up to "
                    + lastUsed));
        }
        return c;
    }

    private Optional<Completion> nextCompletion() {
        if (!batch.isEmpty()) {
            return Optional.of(batch.poll());
        }
        if (broken) {
            return Optional.empty();
        }
        int usedIdx = raw.usedIdx();
        int delta = (usedIdx - lastUsed) & 0xffff;
        if (delta == 0) {
            return Optional.empty();
        }
        if (delta > size) {
            broken = true;
            findings.add(new Finding(Kind.USED_IDX_JUMP, String.format(
                    "queue %d: used idx went from %d to %d (%d entries) on a ring of %d with %d in flight; queue abandoned",
                    index, lastUsed, usedIdx, delta, size, inFlightCount)));
            return Optional.empty();
        }
        if (delta > inFlightCount && reportedJumpTo != usedIdx) {
            reportedJumpTo = usedIdx;
            findings.add(new Finding(Kind.USED_IDX_JUMP, String.format(
                    "queue %d: used idx went from %d to %d (%d entries) with only %d buffers in flight",
                    index, lastUsed, usedIdx, delta, inFlightCount)));
        }
        while (lastUsed != usedIdx) {
            UsedElement e = raw.usedElement(lastUsed);
            int slot = lastUsed;
            int remaining = (usedIdx - lastUsed) & 0xffff;
            if (!features.inOrder()) {
                lastUsed = (lastUsed + 1) & 0xffff;
                Optional<Completion> c = take(e, slot);
                if (c.isPresent()) {
                    return c;
                }
                continue;
            }
            lastUsed = (lastUsed + takeBatch(e, slot, remaining)) & 0xffff;
            if (!batch.isEmpty()) {
                return Optional.of(batch.poll());
            }
        }
        return Optional.empty();
    }

    /**
     * IN_ORDER (§2.7.9): a used entry for head X at the position of the oldest buffer in flight completes every
     * buffer made available up to X; the device moved used idx by the size of that batch. Returns the number of
     * used ring positions the entry accounts for.
     */
    private int takeBatch(UsedElement e, int slot, int remaining) {
        int batchSize = positionInFlight(e.id()) + 1;
        if (batchSize == 0) {
            take(e, slot);                  // not in flight: reported there
            return 1;
        }
        if (batchSize > remaining) {
            findings.add(new Finding(Kind.IN_ORDER_VIOLATED, String.format(
                    "queue %d: used entry %d has id %d, which completes the %d oldest buffers in flight %s, but used "
                            + "idx moved only %d past it", index, slot, e.id(), batchSize, Chain.inFlightIds(inFlight),
                    remaining)));
        }
        for (int i = 1; i < batchSize; i++) {
            batch.add(Completion.inferred(release(submitted.peekFirst())));
        }
        take(e, slot).ifPresent(batch::add);
        return Math.min(batchSize, remaining);
    }

    /** Position of head {@code id} among the buffers in flight, oldest first; -1 when it is not in flight. */
    private int positionInFlight(long id) {
        int position = 0;
        for (int head : submitted) {
            if (head == id) {
                return position;
            }
            position++;
        }
        return -1;
    }

    private Optional<Completion> take(UsedElement e, int slot) {
        long id = e.id();
        Chain chain = id < size ? inFlight[(int) id] : null;
        if (chain == null) {
            boolean twice = id < size && completed[(int) id];
            findings.add(new Finding(twice ? Kind.USED_ID_COMPLETED_TWICE : Kind.USED_ID_NOT_AVAILABLE, String.format(
                    "queue %d: used ring entry %d has id %d, len %d; ids in flight: %s",
                    index, slot, id, e.len(), Chain.inFlightIds(inFlight))));
            return Optional.empty();
        }
        release((int) id);
        if (e.len() > chain.writableBytes()) {
            findings.add(new Finding(Kind.USED_LEN_TOO_LARGE, String.format(
                    "queue %d: id %d completed with len %d but the chain has %d device-writable bytes",
                    index, id, e.len(), chain.writableBytes())));
        }
        return Optional.of(new Completion(chain, e.len()));
    }

    /** Takes head's chain out of flight: checks its descriptors and table against the shadow and frees them. */
    private Chain release(int head) {
        Chain chain = inFlight[head];
        inFlight[head] = null;
        completed[head] = true;
        inFlightCount--;
        if (features.inOrder()) {
            submitted.remove(head);       // the oldest, or the batch's last: found at or near the front
        }
        for (int d : chainDescriptors[head]) {
            checkShadow(d);
            freeRing[(freeHead + freeCount) & (size - 1)] = d;
            freeCount++;
        }
        chainDescriptors[head] = null;
        if (tableShadow[head] != null) {
            checkTable(head);
            tableShadow[head] = null;
        }
        return chain;
    }

    private void checkShadow(int d) {
        SplitDescriptor now = raw.descriptor(d);
        if (!now.equals(shadowDesc[d])) {
            findings.add(new Finding(Kind.DESCRIPTOR_TABLE_WRITTEN, String.format(
                    "queue %d: descriptor %d was %s, now %s", index, d, shadowDesc[d], now)));
        }
    }

    private void checkTable(int head) {
        long table = tables.address(head);
        SplitDescriptor[] wrote = tableShadow[head];
        for (int i = 0; i < wrote.length; i++) {
            SplitDescriptor now = SplitDescriptor.read(raw.memory(), table + (long) DESC_SIZE * i);
            if (!now.equals(wrote[i])) {
                findings.add(new Finding(Kind.INDIRECT_TABLE_WRITTEN, String.format(
                        "queue %d: indirect table of head %d at 0x%x, entry %d was %s, now %s",
                        index, head, table, i, wrote[i], now)));
            }
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        int idx = raw.availIdx();
        int flags = raw.availFlags();
        int event = raw.usedEvent();
        if (idx != availIdx || flags != availFlags || event != usedEvent) {
            all.add(new Finding(Kind.AVAIL_RING_WRITTEN, String.format(
                    "queue %d: avail idx, flags, used_event were written as %d, 0x%x, %d; now read %d, 0x%x, %d",
                    index, availIdx, availFlags, usedEvent, idx, flags, event)));
        }
        return all;
    }

    @Override
    public String toString() {
        return String.format("SplitVirtqueue[index=%d, size=%d, availIdx=%d, lastUsed=%d, inFlight=%d%s]",
                index, size, availIdx, lastUsed, inFlightCount, broken ? ", abandoned" : "");
    }
}
