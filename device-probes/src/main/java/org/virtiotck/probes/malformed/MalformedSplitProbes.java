package org.virtiotck.probes.malformed;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.probes.malformed.Judgement.IfReturned;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Split rings: descriptor and ring indices a driver must never write (a loop, a head or next beyond the queue size,
 * an avail idx moved back), made with the {@link Workload}'s request of any device type and judged by
 * {@link Judgement}. Where a wrong index could lead a device somewhere, it leads to a stale copy of the request
 * whose device-writable buffers are device-readable ones, so a device that follows it writes where it must not.
 */
class MalformedSplitProbes {
    /** The raw request queue on a split ring, SKIP on a packed one. */
    private static RawRequestQueue start(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        q.assumeSplit("the malformation is a split ring index");
        return q;
    }

    /**
     * The last descriptor of the request links back to the first: a chain of infinite length, which §2.7.5.2 forbids
     * (no chain longer than 2^32 bytes, so no loops). It has no end to complete; a device that returns it anyway,
     * without harm, tolerated it: REJECT.
     */
    @Probe
    @Clause(section = "2.7.5.2", label = "device survives a descriptor chain that loops back on itself", level = Level.MUST)
    void descriptorLoop(Session session) {
        RawRequestQueue q = start(session);
        List<Element> chain = new ArrayList<>(Element.linked(Requests.elements(q.request())));
        int last = chain.size() - 1;
        chain.set(last, chain.get(last).withNext(0));
        q.placeAndMakeAvailable(chain);
        Judgement.judge(q, "a chain whose last descriptor links back to its head", Requests.writableBytes(chain),
                IfReturned.REJECT);
    }

    /**
     * An avail ring entry names head size + n: no descriptor (the table has queue size entries, §2.7.5, and each
     * ring entry names the head of a chain in it, §2.7.6). Taken modulo the size it would be descriptor n, where a
     * stale copy of the request lies.
     */
    @Probe
    @Clause(section = "2.7.6", label = "device survives an available ring entry naming a head beyond the queue size", level = Level.MUST)
    void headBeyondQueueSize(Session session) {
        RawRequestQueue q = start(session);
        List<Element> chain = new ArrayList<>(Element.linked(Requests.elements(q.request())));
        int n = chain.size();
        chain.addAll(Requests.staleCopy(q.allocator(), chain, n));
        q.place(chain);
        q.makeAvailable(q.size() + n);
        Judgement.judge(q, "an available ring entry naming head " + (q.size() + n) + " on a queue of " + q.size(), 0,
                IfReturned.REJECT);
    }

    /**
     * The request's last descriptor has NEXT with next = size + k: no descriptor (§2.7.5). Taken modulo the size it
     * would continue into a stale copy of the request, at its first device-writable buffer where it has one.
     */
    @Probe
    @Clause(section = "2.7.5", label = "device survives a descriptor whose next index is beyond the queue size", level = Level.MUST)
    void nextBeyondQueueSize(Session session) {
        RawRequestQueue q = start(session);
        List<Element> request = Element.linked(Requests.elements(q.request()));
        int n = request.size();
        int k = n + Math.max(0, Requests.firstWritable(request));
        List<Element> chain = new ArrayList<>(request);
        chain.set(n - 1, chain.get(n - 1).withNext(q.size() + k));
        chain.addAll(Requests.staleCopy(q.allocator(), request, n));
        q.placeAndMakeAvailable(chain);
        Judgement.judge(q, "a chain whose last descriptor has next " + (q.size() + k) + " on a queue of " + q.size(),
                Requests.writableBytes(request), IfReturned.REJECT);
    }

    /**
     * Avail idx written as 0xffff on a fresh ring: moved back by one, which §2.7.6.1 forbids, and 65535 entries
     * ahead of the device, more than the ring holds. Every ring entry names the head of a well-formed request, so a
     * device that believes the idx returns it more than once.
     */
    @Probe
    @Clause(section = "2.7.6.1", label = "device survives an available idx moved back, more than the queue size ahead", level = Level.MUST)
    void availIdxMovedBack(Session session) {
        RawRequestQueue q = start(session);
        List<Element> chain = Element.linked(Requests.elements(q.request()));
        q.place(chain);
        q.publishAvailIdx(0xffff);
        Judgement.judge(q, "avail idx 0xffff on a fresh ring of " + q.size(), Requests.writableBytes(chain),
                IfReturned.REJECT);
    }
}
