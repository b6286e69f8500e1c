package org.virtiotck.probes.malformed;

import java.util.List;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Workload;
import org.virtiotck.probes.malformed.Judgement.IfReturned;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * Indirect tables a driver must never make (VIRTIO_F_INDIRECT_DESC negotiated, SKIP otherwise), holding the
 * {@link Workload}'s request of any device type, judged by {@link Judgement}. None has a meaning a device could carry
 * out, so a device returning one without harm tolerated it: REJECT.
 */
class MalformedIndirectProbes {

    /** The request's buffers as the entries of one table; SKIP without INDIRECT_DESC. */
    private static List<Element> entries(RawRequestQueue q) {
        q.assumeIndirect();
        return Element.linked(Requests.elements(q.request()));
    }

    /**
     * The descriptor naming the table also has NEXT, linking to one more readable buffer: §2.7.5.3.1 forbids both
     * flags together, and §2.8.19 an indirect descriptor in a list linked by NEXT.
     */
    @Probe
    @Clause(section = "2.7.5.3.1", packedSection = "2.8.19", label = "device survives an indirect descriptor that also has NEXT set",
            level = Level.MUST)
    void indirectWithNext(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        List<Element> entries = entries(q);
        Element table = Element.table(q.table(entries), entries.size()).withNext(1);
        q.placeAndMakeAvailable(List.of(table, Element.of(Requests.buffer(q.allocator(), 16, false))));
        Judgement.judge(q, "an indirect descriptor with NEXT set", Requests.writableBytes(entries), IfReturned.REJECT);
    }

    /**
     * Split: the table's only entry is itself an indirect descriptor naming another table, which §2.7.5.3.1 forbids.
     * The inner table holds a stale copy of the request (its device-writable buffers replaced by device-readable
     * ones, WRITE kept), so a device that follows the nesting writes where it must not; the chain has no
     * device-writable bytes. (A packed table entry's INDIRECT bit is reserved and ignored by the device, §2.8.7, so
     * there it is no malformation.)
     */
    @Probe
    @Clause(section = "2.7.5.3.1", label = "device survives an indirect table entry that is itself indirect", level = Level.MUST)
    void nestedIndirectTable(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        q.assumeSplit("a packed table ignores INDIRECT in its entries (§2.8.7)");
        List<Element> stale = Requests.staleCopy(q.allocator(), entries(q), 0);
        Element inner = Element.table(q.table(stale), stale.size());
        q.placeAndMakeAvailable(List.of(Element.table(q.table(List.of(inner)), 1)));
        Judgement.judge(q, "an indirect table whose entry names another table", 0, IfReturned.REJECT);
    }

    /**
     * The descriptor names the request's table with a length half an entry too long: a table holds len / 16
     * descriptors (§2.7.5.3, §2.8.7), so this length describes none.
     */
    @Probe
    @Clause(section = "2.7.5.3", packedSection = "2.8.7", label = "device survives an indirect table whose length is not a multiple of 16",
            level = Level.MUST)
    void tableLengthNotAMultipleOf16(Session session) {
        RawRequestQueue q = RawRequestQueue.start(session);
        List<Element> entries = entries(q);
        Element table = Element.table(q.table(entries), entries.size());
        q.placeAndMakeAvailable(List.of(new Element(table.addr(), table.len() + 8, table.flags(), 0)));
        Judgement.judge(q, "an indirect table of length " + (table.len() + 8), Requests.writableBytes(entries),
                IfReturned.REJECT);
    }
}
