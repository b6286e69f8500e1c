package org.virtiotck.driver.ring.split;

import static org.virtiotck.driver.ring.split.SplitLayout.*;

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
 * Driver side of a split virtqueue (VIRTIO 1.2 §2.7). Keeps a shadow of every descriptor and avail entry it
 * wrote, so a device that writes them is caught, and checks every used element before trusting it.
 */
public final class SplitVirtqueue implements Virtqueue {
    private final GuestMemory mem;
    private final int index;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;

    private final long[] shadowDesc;          // addr, len|flags<<32|next<<48 per descriptor, as written
    private final int[] freeStack;
    private int freeTop;
    private final Chain[] inFlight;           // by head id
    private final int[][] chainDescriptors;   // descriptor indices of each in-flight head
    private final boolean[] completed;        // head completed and not made available since
    private int inFlightCount;
    private int availIdx;
    private int lastUsed;
    private int reportedJumpTo = -1;
    private boolean broken;
    private final List<Finding> findings = new ArrayList<>();

    private SplitVirtqueue(GuestMemory mem, int index, int size, long desc, long avail, long used) {
        this.mem = mem;
        this.index = index;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        this.shadowDesc = new long[2 * size];
        this.freeStack = new int[size];
        for (int i = 0; i < size; i++) {
            freeStack[i] = size - 1 - i;
        }
        this.freeTop = size;
        this.inFlight = new Chain[size];
        this.chainDescriptors = new int[size][];
        this.completed = new boolean[size];
    }

    /** Lays out a queue of {@code size} entries in memory from the allocator. */
    public static SplitVirtqueue allocate(Allocator alloc, int index, int size) {
        if (!validSize(size)) {
            throw new IllegalArgumentException("split queue size " + size + " is not a power of two in 1..32768");
        }
        long desc = alloc.ring(DESC_SIZE * size, DESC_ALIGN);
        long avail = alloc.ring(availBytes(size), AVAIL_ALIGN);
        long used = alloc.ring(usedBytes(size), USED_ALIGN);
        return new SplitVirtqueue(alloc.memory(), index, size, desc, avail, used);
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
        return desc;
    }

    @Override
    public long driverArea() {
        return avail;
    }

    @Override
    public long deviceArea() {
        return used;
    }

    public int freeDescriptors() {
        return freeTop;
    }

    @Override
    public Chain add(List<Buffer> readable, List<Buffer> writable) {
        int n = readable.size() + writable.size();
        if (n == 0) {
            throw new IllegalArgumentException("a chain needs at least one buffer");
        }
        if (n > freeTop) {
            throw new IllegalStateException("queue " + index + " has " + freeTop + " free descriptors, chain needs " + n);
        }
        List<Buffer> all = new ArrayList<>(readable);
        all.addAll(writable);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = freeStack[--freeTop];
        }
        for (int i = 0; i < n; i++) {
            Buffer b = all.get(i);
            int flags = (i < n - 1 ? F_NEXT : 0) | (b.deviceWritable() ? F_WRITE : 0);
            int next = i < n - 1 ? ids[i + 1] : 0;
            writeDescriptor(ids[i], b.address(), b.length(), flags, next);
        }
        Chain chain = new Chain(ids[0], readable, writable);
        inFlight[ids[0]] = chain;
        chainDescriptors[ids[0]] = ids;
        completed[ids[0]] = false;
        inFlightCount++;
        mem.putU16(avail + RING_ENTRIES + 2L * (availIdx % size), ids[0]);
        availIdx = (availIdx + 1) & 0xffff;
        mem.putU16Release(avail + RING_IDX, availIdx);
        return chain;
    }

    private void writeDescriptor(int i, long addr, int len, int flags, int next) {
        long at = desc + (long) DESC_SIZE * i;
        mem.putU64(at, addr);
        mem.putU32(at + 8, len & 0xffffffffL);
        mem.putU16(at + 12, flags);
        mem.putU16(at + 14, next);
        shadowDesc[2 * i] = addr;
        shadowDesc[2 * i + 1] = (len & 0xffffffffL) | (long) flags << 32 | (long) next << 48;
    }

    @Override
    public Optional<Completion> poll() {
        if (broken) {
            return Optional.empty();
        }
        int usedIdx = mem.u16Acquire(used + RING_IDX);
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
            long elem = used + RING_ENTRIES + (long) USED_ELEM_SIZE * (lastUsed % size);
            long id = mem.u32(elem);
            long len = mem.u32(elem + 4);
            int slot = lastUsed;
            lastUsed = (lastUsed + 1) & 0xffff;
            Optional<Completion> c = take(id, len, slot);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private Optional<Completion> take(long id, long len, int slot) {
        Chain chain = id < size ? inFlight[(int) id] : null;
        if (chain == null) {
            boolean twice = id < size && completed[(int) id];
            findings.add(new Finding(twice ? Kind.USED_ID_COMPLETED_TWICE : Kind.USED_ID_NOT_AVAILABLE, String.format(
                    "queue %d: used ring entry %d has id %d, len %d; ids in flight: %s",
                    index, slot, id, len, Chain.inFlightIds(inFlight))));
            return Optional.empty();
        }
        int head = (int) id;
        inFlight[head] = null;
        completed[head] = true;
        inFlightCount--;
        for (int d : chainDescriptors[head]) {
            checkShadow(d);
            freeStack[freeTop++] = d;
        }
        chainDescriptors[head] = null;
        if (len > chain.writableBytes()) {
            findings.add(new Finding(Kind.USED_LEN_TOO_LARGE, String.format(
                    "queue %d: id %d completed with len %d but the chain has %d device-writable bytes",
                    index, head, len, chain.writableBytes())));
        }
        return Optional.of(new Completion(chain, len));
    }

    private void checkShadow(int d) {
        long at = desc + (long) DESC_SIZE * d;
        long addr = mem.u64(at);
        long rest = mem.u32(at + 8) | (long) mem.u16(at + 12) << 32 | (long) mem.u16(at + 14) << 48;
        if (addr != shadowDesc[2 * d] || rest != shadowDesc[2 * d + 1]) {
            findings.add(new Finding(Kind.DESCRIPTOR_TABLE_WRITTEN, String.format(
                    "queue %d: descriptor %d was addr 0x%x len %d flags 0x%x next %d, now addr 0x%x len %d flags 0x%x next %d",
                    index, d, shadowDesc[2 * d], shadowDesc[2 * d + 1] & 0xffffffffL,
                    shadowDesc[2 * d + 1] >>> 32 & 0xffff, shadowDesc[2 * d + 1] >>> 48,
                    addr, rest & 0xffffffffL, rest >>> 32 & 0xffff, rest >>> 48)));
        }
    }

    @Override
    public List<Finding> findings() {
        List<Finding> all = new ArrayList<>(findings);
        int idx = mem.u16(avail + RING_IDX);
        if (idx != availIdx) {
            all.add(new Finding(Kind.AVAIL_RING_WRITTEN, String.format(
                    "queue %d: avail idx was written as %d, now reads %d", index, availIdx, idx)));
        }
        return all;
    }
}
