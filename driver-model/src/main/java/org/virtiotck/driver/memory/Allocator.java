package org.virtiotck.driver.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.driver.Finding;

/**
 * Hands out guest buffers from an arena so that any byte the device writes where it must not is visible
 * afterwards. The whole arena starts filled with {@link #CANARY}; every allocation is surrounded by at least
 * {@code guard} canary bytes; device-writable buffers are filled with {@link #POISON}; device-readable ones
 * are remembered so that a changed byte can be reported. Ring structures are allocated zeroed and are
 * checked by the ring code, which knows what it wrote there.
 */
public final class Allocator {
    public static final byte CANARY = (byte) 0xC5;
    public static final byte POISON = (byte) 0xA5;

    private final GuestMemory memory;
    private final long start;
    private final long end;
    private final int guard;
    private final List<Region> regions = new ArrayList<>();
    private long cursor;
    /**
     * Every byte at or past it still holds the canary of the last full fill: no allocation reached it since. Only
     * a device writing far outside its buffers changes such bytes, and the canary check finds that as soon as an
     * allocation's guard covers them, so {@link #reset} need not refill them.
     */
    private long touchedEnd;

    /** What occupies a range of the arena: the canary check skips it, readable contents are compared. */
    private record Region(long address, int length, byte[] readableContents) {
    }

    public Allocator(GuestMemory memory, long start, long length, int guard) {
        if (!memory.contains(start, length)) {
            throw new GuestMemoryException(start, length, memory.base(), memory.size());
        }
        this.memory = memory;
        this.start = start;
        this.end = start + length;
        this.guard = guard;
        this.touchedEnd = end;
        reset();
    }

    /**
     * Frees every allocation and refills the arena with canaries, up to where allocations and canary checks have
     * reached: a fuzz case resets for every batch, and refilling all of a 4 MiB arena was most of its cost.
     */
    public void reset() {
        regions.clear();
        memory.fill(start, touchedEnd - start, CANARY);
        cursor = start + guard;
        touchedEnd = Math.min(end, cursor + guard);
    }

    public GuestMemory memory() {
        return memory;
    }

    /** A point in the allocation history to {@link #rewind} to. */
    public record Mark(long cursor, int regions) {
    }

    public Mark mark() {
        return new Mark(cursor, regions.size());
    }

    /**
     * Frees everything allocated since {@code mark} and turns it back into canaries, so long runs reuse memory.
     * Check {@link #integrityFindings()} first: damage in the freed range is forgotten.
     */
    public void rewind(Mark mark) {
        if (mark.regions > regions.size() || mark.cursor > cursor) {
            throw new IllegalArgumentException("mark " + mark + " is not behind the allocator's current position");
        }
        regions.subList(mark.regions, regions.size()).clear();
        long from = mark.cursor - guard;
        memory.fill(from, Math.min(end, cursor + guard) - from, CANARY);
        cursor = mark.cursor;
    }

    private long take(int length, int align) {
        if (length < 0 || align <= 0 || Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("bad allocation: length " + length + ", align " + align);
        }
        long at = (cursor + align - 1) & -(long) align;
        if (at + length + guard > end) {
            throw new IllegalStateException("guest arena exhausted: " + length + " bytes wanted, "
                    + (end - at - guard) + " left");
        }
        cursor = at + length + guard;
        touchedEnd = Math.max(touchedEnd, Math.min(end, cursor + guard));
        return at;
    }

    /** A device-readable buffer holding {@code contents}. */
    public Buffer readable(byte[] contents) {
        long at = take(contents.length, 8);
        memory.write(at, contents);
        regions.add(new Region(at, contents.length, contents.clone()));
        return new Buffer(at, contents.length, false);
    }

    /** A device-writable buffer of {@code length} poison bytes. */
    public Buffer writable(int length) {
        long at = take(length, 8);
        memory.fill(at, length, POISON);
        regions.add(new Region(at, length, null));
        return new Buffer(at, length, true);
    }

    /** Zeroed memory for ring structures; its contents are the ring code's to check. */
    public long ring(int length, int align) {
        long at = take(length, align);
        memory.fill(at, length, (byte) 0);
        regions.add(new Region(at, length, null));
        return at;
    }

    /**
     * Every byte the device changed where it must not have: canaries between allocations and contents of
     * device-readable buffers. One finding per damaged run of bytes, with its address and raw values.
     */
    public List<Finding> integrityFindings() {
        List<Finding> findings = new ArrayList<>();
        long pos = start;
        List<Region> sorted = new ArrayList<>(regions);
        sorted.sort((a, b) -> Long.compare(a.address, b.address));
        for (Region r : sorted) {
            checkCanaries(pos, r.address, findings);
            if (r.readableContents != null) {
                checkReadable(r, findings);
            }
            pos = r.address + r.length;
        }
        checkCanaries(pos, Math.min(end, cursor + guard), findings);
        return findings;
    }

    private void checkCanaries(long from, long to, List<Finding> out) {
        if (to <= from) {
            return;
        }
        byte[] seen = memory.read(from, (int) (to - from));
        for (int i = 0; i < seen.length; i++) {
            if (seen[i] != CANARY) {
                int j = i;
                while (j < seen.length && seen[j] != CANARY) {
                    j++;
                }
                out.add(new Finding(Finding.Kind.WRITE_OUTSIDE_WRITABLE, String.format(
                        "%d byte(s) at 0x%x changed from canary 0x%02x to %s", j - i, from + i, CANARY & 0xff,
                        hex(seen, i, j))));
                i = j;
            }
        }
    }

    private void checkReadable(Region r, List<Finding> out) {
        byte[] seen = memory.read(r.address, r.length);
        if (!Arrays.equals(seen, r.readableContents)) {
            int i = Arrays.mismatch(seen, r.readableContents);
            out.add(new Finding(Finding.Kind.WRITE_TO_READABLE, String.format(
                    "device-readable buffer 0x%x+%d changed at offset %d: was 0x%02x, now 0x%02x",
                    r.address, r.length, i, r.readableContents[i] & 0xff, seen[i] & 0xff)));
        }
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 16); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return (to - from > 16 ? sb + "…" : sb.toString());
    }
}
