package org.virtiotck.fuzz;

import static org.virtiotck.fuzz.MutationKind.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * Runs one {@link Mutation} on a freshly negotiated device and judges it as the malformed-request probes do: the
 * device may use or refuse the request, but must write nothing outside the device-writable bytes its chain names
 * (the allocator's canaries and readable buffers, and the guest memory beyond them, watched here), must not report
 * more bytes than those, and must not return more than the one request made available. Whether it serves again
 * after a reset is the next batch's to show ({@link FuzzRunner}).
 *
 * <p>Every buffer is allocated as what the mutated descriptor finally says it is: a buffer whose WRITE was
 * cleared, that is read as a table, or that no walk of the chain reaches is device-readable, so the allocator
 * catches a device that writes it anyway; one whose WRITE was set is writable, holding its readable contents.
 * Every split descriptor the request does not use names a readable buffer with WRITE set, so a device that wanders
 * off the chain through a bad index and writes there is caught too.
 */
final class MutatedRequest {
    private static final int F_NEXT = 1;
    private static final int F_WRITE = 2;
    private static final int F_INDIRECT = 4;
    private static final int ENTRY = 16;
    private static final int STALE_BYTES = 64;
    private static final long HUGE = 0xffff_ffffL;

    /** Where a mutated descriptor's buffer lies. */
    private enum Place { OWN, OUTSIDE, STRADDLING_END, STRADDLING_START, AT_END }

    /** One descriptor of the request as finally laid out. */
    private static final class Element {
        final byte[] contents;
        final boolean wasWritable;
        long addr;
        long len;
        int flags;
        int next;
        Place place = Place.OWN;
        boolean writableBuffer;

        Element(byte[] contents, boolean wasWritable, int flags, int next) {
            this.contents = contents;
            this.wasWritable = wasWritable;
            this.len = contents.length;
            this.flags = flags;
            this.next = next;
        }
    }

    /**
     * How the device took the request: whether it returned it within the window, and the back-end's message
     * where it dropped the connection (else null), after which the runner needs a new one.
     */
    record Result(boolean used, String lost) {
    }

    private MutatedRequest() {
    }

    static Result run(VirtioDriver driver, DeviceFuzz fuzz, DeviceOracle oracle, FeatureSet features, Mutation m,
                      int index, Findings out) {
        driver.negotiate(fuzz.features().or(features));
        Allocator alloc = driver.allocator();
        GuestMemory memory = alloc.memory();
        Prepared p = oracle.prepare(index, m.request(), alloc);
        oracle.startBatch(driver);
        RawQueue raw = RawQueue.start(driver, fuzz.queues(), p.queue(), FuzzRunner.QUEUE_SIZE);
        boolean table = m.kind().forcesTable()
                || p.indirect() && driver.negotiated().has(Feature.INDIRECT_DESC);
        List<Element> elements = elements(p, memory);
        int at = m.at() % elements.size();
        mutate(elements.get(at), at, m, table ? elements.size() : raw.size());
        // INDIRECT names a table only where it was negotiated, and never inside a table (no nesting, §2.7.5.3.1):
        // elsewhere a device may take the descriptor for a plain buffer, so its WRITE flag is what counts.
        markWritable(elements, !raw.packed(), table && raw.packed(),
                !table && driver.negotiated().has(Feature.INDIRECT_DESC));
        long end = memory.base() + memory.size();
        for (Element e : elements) {
            allocate(e, alloc, memory, end);
        }
        Buffer stale = alloc.readable(pattern(STALE_BYTES));
        List<long[]> ring = table ? List.of(tableDescriptor(elements, m, raw.packed(), alloc)) : descriptors(elements);
        int madeAvailable = layOut(raw, ring, m, stale);
        Tail tail = new Tail(memory, alloc.mark().cursor(), writableAtEnd(elements, end));
        RawQueue.Outcome o = raw.notifyAndObserve();
        String what = "mutated request (" + m + ")";
        for (Finding f : alloc.integrityFindings()) {
            out.add(index, "driver", f + " after the " + what);
        }
        tail.damage().ifPresent(d -> out.add(index, "mutation", d + " after the " + what));
        if (o.completed()) {
            long writable = writableBytes(elements);
            if (o.usedCount() > madeAvailable) {
                out.add(index, "used-id", "used idx moved by " + o.usedCount() + " after the " + what + ", which made "
                        + madeAvailable + " avail entr" + (madeAvailable == 1 ? "y" : "ies") + " available");
            }
            if (o.len() > writable) {
                out.add(index, "used-len", "used len " + o.len() + " for the " + what + ", whose chain names "
                        + writable + " device-writable bytes");
            }
        }
        return new Result(o.completed(), o.lost());
    }

    /** The request's buffers as a well-formed chain: contents as the device would find them, linked i to i + 1. */
    private static List<Element> elements(Prepared p, GuestMemory memory) {
        List<Buffer> buffers = new ArrayList<>(p.readable());
        buffers.addAll(p.writable());
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < buffers.size(); i++) {
            Buffer b = buffers.get(i);
            boolean last = i == buffers.size() - 1;
            out.add(new Element(memory.read(b.address(), b.length()), b.deviceWritable(),
                    (b.deviceWritable() ? F_WRITE : 0) | (last ? 0 : F_NEXT), last ? 0 : i + 1));
        }
        return out;
    }

    /** Applies the element's part of the mutation; {@code limit} is the number of descriptors its index may name. */
    private static void mutate(Element e, int at, Mutation m, int limit) {
        switch (m.kind()) {
            case FLIP_NEXT -> e.flags ^= F_NEXT;
            case FLIP_WRITE -> e.flags ^= F_WRITE;
            case FLIP_INDIRECT -> e.flags ^= F_INDIRECT;
            case NEXT_CYCLE -> {
                e.flags |= F_NEXT;
                e.next = m.value() % (at + 1);
            }
            case NEXT_BEYOND_SIZE -> {
                e.flags |= F_NEXT;
                e.next = limit + m.value() % limit;
            }
            case LEN_ZERO -> e.len = 0;
            case LEN_HUGE -> e.len = HUGE;
            case LEN_SHORT -> e.len = Math.max(0, e.len - 1);
            case ADDR_OUTSIDE -> e.place = Place.OUTSIDE;
            case ADDR_STRADDLING_END -> e.place = Place.STRADDLING_END;
            case ADDR_STRADDLING_START -> e.place = Place.STRADDLING_START;
            case ADDR_AT_END -> e.place = Place.AT_END;
            default -> {
                // Table and ring kinds leave the element alone.
            }
        }
    }

    /**
     * Which elements' buffers the device may write: WRITE set, not read as a table, and reached by a walk of the
     * chain. A split chain or table is walked by its links; a packed ring's slots and a packed table's entries are
     * all reached (a packed table ignores NEXT and INDIRECT, §2.8.7). {@code indirectIsTable}: whether INDIRECT
     * makes a descriptor a table here, so that the walk ends at it and its buffer is not the device's to write.
     */
    private static void markWritable(List<Element> elements, boolean walkLinks, boolean packedTable,
            boolean indirectIsTable) {
        boolean[] reached = new boolean[elements.size()];
        if (walkLinks) {
            int i = 0;
            while (i >= 0 && i < elements.size() && !reached[i]) {
                reached[i] = true;
                Element e = elements.get(i);
                i = (e.flags & F_NEXT) == 0 || indirectIsTable && (e.flags & F_INDIRECT) != 0 ? -1 : e.next;
            }
        } else {
            Arrays.fill(reached, true);
        }
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            boolean asTable = indirectIsTable && (e.flags & F_INDIRECT) != 0 && !packedTable;
            e.writableBuffer = reached[i] && (e.flags & F_WRITE) != 0 && !asTable;
        }
    }

    private static void allocate(Element e, Allocator alloc, GuestMemory memory, long end) {
        int length = e.len == HUGE ? e.contents.length : (int) e.len;
        byte[] bytes = e.wasWritable ? filled(length, Allocator.POISON) : Arrays.copyOf(e.contents, length);
        switch (e.place) {
            case OWN -> {
                if (e.writableBuffer) {
                    e.addr = alloc.writable(length).address();
                    memory.write(e.addr, bytes);
                } else {
                    e.addr = alloc.readable(bytes).address();
                }
            }
            case OUTSIDE -> e.addr = end;
            case STRADDLING_END -> {
                e.addr = end - 8;
                e.len = Math.max(16, e.len);
            }
            case STRADDLING_START -> {
                e.addr = memory.base() - 8;
                e.len = Math.max(16, e.len);
            }
            case AT_END -> {
                e.addr = end - length;
                memory.write(e.addr, bytes);
            }
        }
    }

    /** Ring descriptors of a direct chain: addr, len, flags, next. */
    private static List<long[]> descriptors(List<Element> elements) {
        return elements.stream().map(e -> new long[] {e.addr, e.len, e.flags, e.next}).toList();
    }

    /** The one ring descriptor naming the request's table (and the table it names, for a nested one). */
    private static long[] tableDescriptor(List<Element> elements, Mutation m, boolean packed, Allocator alloc) {
        ByteBuffer t = ByteBuffer.allocate(ENTRY * (elements.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (Element e : elements) {
            entry(t, e.addr, e.len, e.flags, e.next, packed);
        }
        // The spare zeroed entry keeps an overstated length inside memory the fuzzer owns.
        long addr = alloc.readable(t.array()).address();
        long len = (long) ENTRY * elements.size();
        if (m.kind() == NESTED_TABLE) {
            ByteBuffer outer = ByteBuffer.allocate(2 * ENTRY).order(ByteOrder.LITTLE_ENDIAN);
            entry(outer, addr, len, F_INDIRECT, 0, packed);
            addr = alloc.readable(outer.array()).address();
            len = ENTRY;
        }
        len += m.kind() == TABLE_LEN_PLUS_HALF ? ENTRY / 2 : m.kind() == TABLE_LEN_PLUS_ENTRY ? ENTRY : 0;
        return new long[] {addr, len, F_INDIRECT | (m.kind() == TABLE_WITH_NEXT ? F_NEXT : 0), 1};
    }

    private static void entry(ByteBuffer b, long addr, long len, int flags, int next, boolean packed) {
        b.putLong(addr).putInt((int) len);
        if (packed) {
            b.putShort((short) 0).putShort((short) flags);
        } else {
            b.putShort((short) flags).putShort((short) next);
        }
    }

    /**
     * Writes the ring: split, the descriptors from 0 on, every other one stale, each avail entry naming head 0 and
     * the idx as the mutation says; packed, consecutive slots available in the first lap, head last (§2.8.17).
     */
    /**
     * Writes the mutated request into the ring and makes it available; returns how many avail entries that
     * published (split: the avail idx, every entry naming head 0; a device may use each of them), else 1.
     */
    private static int layOut(RawQueue raw, List<long[]> ring, Mutation m, Buffer stale) {
        if (raw.packed()) {
            int odd = m.at() % ring.size();
            for (int i = ring.size() - 1; i >= 0; i--) {
                long[] d = ring.get(i);
                int bits = i != odd ? RawQueue.available()
                        : m.kind() == OTHER_LAP ? RawQueue.otherLap()
                        : m.kind() == USED_BITS ? RawQueue.usedLooking() : RawQueue.available();
                raw.slot(i, d[0], d[1], (int) d[2] | bits);
            }
            return 1;
        }
        for (int i = 0; i < raw.size(); i++) {
            if (i < ring.size()) {
                long[] d = ring.get(i);
                raw.descriptor(i, d[0], d[1], (int) d[2], (int) d[3]);
            } else {
                raw.descriptor(i, stale.address(), stale.length(), F_WRITE, 0);
            }
        }
        int size = raw.size();
        int idx = switch (m.kind()) {
            case AVAIL_IDX_AHEAD -> size + 1 + m.value() % size;
            case AVAIL_IDX_BACK -> 0xffff - m.value() % size;
            default -> 1;
        };
        raw.publish(0, idx);
        return idx;
    }

    /** The start of a device-writable buffer placed at the very end of guest memory, else the end itself. */
    private static long writableAtEnd(List<Element> elements, long end) {
        return elements.stream().filter(e -> e.place == Place.AT_END && e.writableBuffer).mapToLong(e -> e.addr)
                .findFirst().orElse(end);
    }

    /** Device-writable bytes the chain names inside guest memory. */
    private static long writableBytes(List<Element> elements) {
        return elements.stream().filter(e -> e.writableBuffer && e.len != HUGE
                && (e.place == Place.OWN || e.place == Place.AT_END)).mapToLong(e -> e.len).sum();
    }

    private static byte[] filled(int length, byte value) {
        byte[] b = new byte[length];
        Arrays.fill(b, value);
        return b;
    }

    private static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return b;
    }
}
