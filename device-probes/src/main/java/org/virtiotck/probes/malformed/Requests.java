package org.virtiotck.probes.malformed;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Workload;

/** The pieces malformed requests are made of, built from the {@link Workload}'s request of any device type. */
final class Requests {
    private Requests() {
    }

    /** The request's buffers, device-readable first, as one descriptor each. */
    static List<Element> elements(Workload.Request r) {
        List<Element> out = new ArrayList<>();
        r.readable().forEach(b -> out.add(Element.of(b)));
        r.writable().forEach(b -> out.add(Element.of(b)));
        return out;
    }

    /** Position of the first device-writable element, or -1 when there is none. */
    static int firstWritable(List<Element> elements) {
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).writable()) {
                return i;
            }
        }
        return -1;
    }

    /** Device-writable bytes the elements name. */
    static long writableBytes(List<Element> elements) {
        return elements.stream().filter(Element::writable).mapToLong(Element::len).sum();
    }

    /** A device-readable buffer of {@code length} bytes the allocator watches, or a device-writable one of poison. */
    static Buffer buffer(Allocator alloc, int length, boolean writable) {
        return writable ? alloc.writable(length) : alloc.readable(Devices.pattern(length, 5));
    }

    /**
     * The same chain laid out from descriptor {@code at} on, each device-writable buffer replaced by a
     * device-readable one of the same length: a stale copy of the request, left from an earlier one, that a device
     * reaching it by a wrong index would take for a request and write where it must not.
     */
    static List<Element> staleCopy(Allocator alloc, List<Element> chain, int at) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Element e = chain.get(i);
            long addr = e.writable() ? buffer(alloc, (int) e.len(), false).address() : e.addr();
            boolean last = i == chain.size() - 1;
            out.add(new Element(addr, e.len(), e.flags(), last ? 0 : at + i + 1));
        }
        return out;
    }
}
