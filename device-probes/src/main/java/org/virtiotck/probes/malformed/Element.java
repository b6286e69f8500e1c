package org.virtiotck.probes.malformed;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.Buffer;

/**
 * One descriptor of a request a probe lays out by hand, in terms both ring layouts share: address, length and the
 * NEXT, WRITE and INDIRECT flags (1, 2 and 4 in split and packed descriptors alike), and the split ring's
 * {@code next} index, which a packed ring has not (its lists are consecutive slots).
 */
record Element(long addr, long len, int flags, int next) {
    static final int NEXT = 1;
    static final int WRITE = 2;
    static final int INDIRECT = 4;

    /** The buffer as one descriptor, WRITE when it is device-writable, not linked. */
    static Element of(Buffer b) {
        return new Element(b.address(), b.length(), b.deviceWritable() ? WRITE : 0, 0);
    }

    /** A descriptor naming an indirect table of {@code entries} entries at {@code table}. */
    static Element table(long table, int entries) {
        return new Element(table, 16L * entries, INDIRECT, 0);
    }

    /** The buffers as a well-formed chain: each linked by NEXT to the one after it, which in a split table is i + 1. */
    static List<Element> chain(List<Buffer> buffers) {
        List<Element> out = new ArrayList<>();
        for (Buffer b : buffers) {
            out.add(of(b));
        }
        return linked(out);
    }

    /** The same descriptors with NEXT set on all but the last, next = i + 1, and NEXT clear on the last. */
    static List<Element> linked(List<Element> elements) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            Element e = elements.get(i);
            boolean last = i == elements.size() - 1;
            out.add(new Element(e.addr, e.len, last ? e.flags & ~NEXT : e.flags | NEXT, last ? 0 : i + 1));
        }
        return out;
    }

    Element withFlags(int flags) {
        return new Element(addr, len, flags, next);
    }

    Element withNext(int next) {
        return new Element(addr, len, flags | NEXT, next);
    }

    Element withLength(long len) {
        return new Element(addr, len, flags, next);
    }

    Element at(long addr) {
        return new Element(addr, len, flags, next);
    }

    boolean writable() {
        return (flags & WRITE) != 0;
    }
}
