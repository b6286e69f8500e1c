package org.virtiotck.probes.ring;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitVirtqueue;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.Workload;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What a split-ring device has in place when it publishes a used idx (VIRTIO 1.2 §2.7.8.2): the entry's len, and
 * the first len bytes of the buffer's device-writable part. The probe polls the used idx in memory, not waiting
 * for the notification, and the moment it moves reads the len and those bytes; after the used buffer
 * notification it reads them again. They must not have changed: once it published the idx the device no longer
 * owns the entry or the buffer, so a difference is something it wrote after the idx. Every device type.
 */
class UsedPublicationProbes {

    /** One request's used len and device-writable bytes as the driver saw them when the idx moved, and later. */
    private record Sighting(int usedIdx, long lenAtIdx, byte[] dataAtIdx, long lenAfter, byte[] dataAfter) {

        static Sighting watch(Session session) {
            Workload w = Workload.start(session);
            Assumptions.assumeTrue(w.queue() instanceof SplitVirtqueue, "a split ring clause; this variant uses a packed ring");
            SplitVirtqueue q = (SplitVirtqueue) w.queue();
            RawSplitRing raw = q.raw();
            Workload.Request r = w.request();
            int before = raw.usedIdx();
            q.add(r.readable(), r.writable(), false);
            w.driver().kick(q);
            Deadline d = w.driver().deadline();
            for (int attempt = 0; raw.usedIdx() == before; attempt++) {
                d.check("publish a used idx past " + before + " on queue " + q.index());
                Deadline.pause(attempt);
            }
            // usedIdx() is an acquire load: what the device wrote before publishing it is visible from here on.
            long lenAtIdx = raw.usedElement(before).len();
            byte[] dataAtIdx = writable(session.memory(), r);
            // The device is done with the request by its notification, however it was built; not seeing one is
            // another clause's business, and the comparison below still holds then.
            Interrupts.await(session.transport(), w.driver().deadline(), Interrupts.USED_BUFFER);
            long lenAfter = raw.usedElement(before).len();
            byte[] dataAfter = writable(session.memory(), r);
            w.driver().await(q);
            return new Sighting(before, lenAtIdx, dataAtIdx, lenAfter, dataAfter);
        }

        private static byte[] writable(GuestMemory memory, Workload.Request r) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Buffer b : r.writable()) {
                all.writeBytes(memory.read(b.address(), b.length()));
            }
            return all.toByteArray();
        }

        String entry() {
            return "used ring entry " + usedIdx + ", the moment used idx moved past it";
        }
    }

    @Probe
    @Clause(section = "2.7.8.2", label = "device sets used len before publishing the used idx", level = Level.MUST)
    void usedLenIsInPlaceWhenTheIdxMoves(Session session) {
        Sighting s = Sighting.watch(session);
        Check.that(s.lenAtIdx() == s.lenAfter(), "len of " + s.entry(),
                "the len it holds once the device notified: " + s.lenAfter(), "len " + s.lenAtIdx());
    }

    @Probe
    @Clause(section = "2.7.8.2", label = "device writes a buffer's data before publishing the used idx", level = Level.MUST)
    void dataIsInPlaceWhenTheIdxMoves(Session session) {
        Sighting s = Sighting.watch(session);
        Assumptions.assumeTrue(s.dataAfter().length > 0,
                "the smallest request of a " + session.deviceType().lowerName() + " device has no device-writable buffer");
        int len = (int) Math.min(s.lenAfter(), s.dataAfter().length);
        byte[] atIdx = Arrays.copyOf(s.dataAtIdx(), len);
        byte[] after = Arrays.copyOf(s.dataAfter(), len);
        int first = Arrays.mismatch(atIdx, after);
        Check.that(first < 0, "first " + len + " (used len) device-writable bytes of the buffer in " + s.entry(),
                "the bytes they hold once the device notified", first < 0 ? "the same" : String.format(
                        "byte %d was 0x%02x, later 0x%02x", first, atIdx[first] & 0xff, after[first] & 0xff));
    }
}
