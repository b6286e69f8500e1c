package org.virtiotck.probes.malformed;

import static org.virtiotck.driver.ring.packed.PackedLayout.availBits;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.probes.malformed.Judgement.IfReturned;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Chains that break a driver requirement of either ring layout, made of the {@link Workload}'s request of any device
 * type, and judged by {@link Judgement}: the device must neither write outside the chain's device-writable bytes nor
 * stop serving. These are driver MUSTs (and one descriptive rule) that the catalogue's robustness area lists.
 */
class MalformedChainProbes {

    /**
     * The first device-writable buffer (the first buffer of a request without one) moved just past the end of guest
     * memory. A descriptor's addr is a guest-physical address (§2.7.5, §2.8.13); this one names no memory at all, so
     * a device that writes the buffer anyway writes some other memory. A device cannot carry the request out, so
     * returning it (for example with an error status) is only tolerating it: REJECT.
     */
    @Probe
    @Clause(section = "2.7.5", packedSection = "2.8.13", label = "device survives a descriptor whose buffer lies outside guest memory",
            level = Level.MUST)
    void bufferOutsideGuestMemory(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        judgeFirstBufferMoved(q, q.memory().base() + q.memory().size(), 0,
                "a request whose first buffer lies past the end of guest memory");
    }

    /**
     * The first device-writable buffer (the first buffer of a request without one) moved so that it starts 8 bytes
     * before the end of guest memory and runs past it: part of it is memory, the rest is not (§2.7.5, §2.8.13). A
     * device must not use the part that is memory as if it were the buffer; where that part is device-writable,
     * writing its bytes (watched by the probe) is a FAIL. Returning the request without harm is tolerating it: REJECT.
     */
    @Probe
    @Clause(section = "2.7.5", packedSection = "2.8.13", label = "device survives a descriptor whose buffer lies outside guest memory",
            level = Level.MUST)
    void bufferStraddlingTheEndOfGuestMemory(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        long end = q.memory().base() + q.memory().size();
        q.watch(end - 8, 8);
        judgeFirstBufferMoved(q, end - 8, 16, "a request whose first buffer runs past the end of guest memory");
    }

    /**
     * The request with its first device-writable buffer (its first buffer when it has none) moved to {@code addr}
     * (and at least {@code minLength} long), judged: the moved buffer's device-writable bytes, if any, are none the
     * device could write. A writable buffer is moved where there is one because only a device writing it shows
     * where it took the address to be; one that only reads a misplaced buffer leaves no trace.
     */
    private static void judgeFirstBufferMoved(RawRequestQueue q, long addr, long minLength, String what) {
        List<Element> chain = Requests.elements(q.request());
        int at = Math.max(0, Requests.firstWritable(chain));
        Element moved = chain.get(at).at(addr);
        chain.set(at, moved.withLength(Math.max(minLength, moved.len())));
        chain = Element.linked(chain);
        q.placeAndMakeAvailable(chain);
        long writable = Requests.writableBytes(chain) - (moved.writable() ? chain.get(at).len() : 0);
        Judgement.judge(q, what, writable, IfReturned.REJECT);
    }

    /**
     * A device-readable buffer after a device-writable one, which §2.7.4.2 and §2.8.17 forbid the driver: after the
     * last writable buffer, or, for a request with none, a writable buffer in front of the readable ones. No device
     * requirement says what such a chain means, so a device returning it without harm tolerated it: REJECT. At the
     * end of the chain, the readable buffer holds what a device taking it for writable writes last (a blk status).
     */
    @Probe
    @Clause(section = "2.7.4.2", packedSection = "2.8.17", label = "device survives a device-readable descriptor after a device-writable one",
            level = Level.MUST)
    void readableAfterWritable(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        List<Element> chain = Requests.elements(q.request());
        int w = Requests.firstWritable(chain);
        if (w >= 0) {
            chain.add(Element.of(Requests.buffer(q.allocator(), 16, false)));
        } else {
            chain.add(0, Element.of(Requests.buffer(q.allocator(), 16, true)));
        }
        chain = Element.linked(chain);
        q.placeAndMakeAvailable(chain);
        Judgement.judge(q, "a request with a device-readable buffer after a device-writable one",
                Requests.writableBytes(chain), IfReturned.REJECT);
    }

    /**
     * A zero-length descriptor: a writable one in front of the first writable buffer, or a readable one in front of
     * a request without writable buffers. No driver requirement forbids it (§2.7.5, §2.8.4 only say len is the
     * buffer's length), so a device may use it as the empty buffer it is: PASS when it returns the request without
     * writing a byte for it; refusing the request safely is REJECT.
     */
    @Probe
    @Clause(section = "2.7.5", packedSection = "2.8.4", label = "device handles a zero-length descriptor: uses it as empty, or refuses the request safely",
            level = Level.MUST)
    void zeroLengthDescriptor(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        List<Element> chain = Requests.elements(q.request());
        int w = Requests.firstWritable(chain);
        chain.add(Math.max(0, w), Element.of(Requests.buffer(q.allocator(), 0, w >= 0)));
        chain = Element.linked(chain);
        q.placeAndMakeAvailable(chain);
        Judgement.judge(q, "a request with a zero-length descriptor", Requests.writableBytes(chain), IfReturned.PASS);
    }

    /**
     * Packed: a list whose head is available in the first lap but whose second descriptor carries the wrap bits of
     * the other lap (AVAIL 0, USED 1): the head was made available before the rest of the list, which §2.8.17 forbids
     * the driver. The second descriptor's AVAIL bit never changed from its initial zero, so §2.8.15 forbids the
     * device to use it: returning the list is a FAIL. Single-descriptor requests get a second buffer of the same kind.
     */
    @Probe
    @Clause(section = "2.8.17", label = "device survives a list whose later descriptors are not marked available", level = Level.MUST)
    void listWithADescriptorOfTheOtherLap(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        Assumptions.assumeTrue(q.packed(), "a packed ring clause; this variant uses a split ring");
        List<Element> chain = Requests.elements(q.request());
        Element last = chain.get(chain.size() - 1);
        if (chain.size() == 1) {
            chain.add(Element.of(Requests.buffer(q.allocator(), 16, last.writable())));
        }
        chain = Element.linked(chain);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Element e = chain.get(i);
            q.publishSlot(i, new PackedDescriptor(e.addr(), e.len(), 0, e.flags() | availBits(i != 1)));
        }
        Judgement.judge(q, "a list whose second descriptor is not available in this lap",
                Requests.writableBytes(chain.subList(0, 1)), IfReturned.FAIL,
                "§2.8.15: a device uses a descriptor only after its AVAIL bit changed");
    }
}
