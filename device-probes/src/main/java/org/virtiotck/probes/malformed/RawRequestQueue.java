package org.virtiotck.probes.malformed;

import static org.virtiotck.driver.ring.packed.PackedLayout.availBits;
import static org.virtiotck.driver.ring.packed.PackedLayout.isUsed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitDescriptor;
import org.virtiotck.driver.ring.split.UsedElement;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.probes.Devices;
import org.virtiotck.probes.Workload;

/**
 * A started device whose request queue (the {@link Workload}'s) the probe drives through the raw ring layer, in the
 * negotiated layout, so that it can make available what no well-behaved driver would; the device's other queues are
 * the driver's. Every split descriptor the request does not use is a stale one: it names a buffer the allocator
 * holds as device-readable, with WRITE set, so a device that wanders off the chain (an index taken modulo the size,
 * a loop followed too far) and writes there is caught by the allocator. Ring slot and descriptor 0 on a fresh ring.
 */
final class RawRequestQueue {
    /** How long a device gets to use, refuse or flag the malformed request before the probe looks. */
    private static final Duration WINDOW = Duration.ofMillis(50);
    private static final int STALE_BYTES = 64;

    private final Session session;
    private final int index;
    private final RawSplitRing split;
    private final RawPackedRing packed;
    private final Buffer stale;
    /** Guest memory the allocator does not watch but the device must leave alone, with the bytes it held. */
    private final List<Watched> watched = new ArrayList<>();

    private record Watched(long addr, byte[] bytes) {
    }

    private RawRequestQueue(Session session, int index, RawSplitRing split, RawPackedRing packed, Buffer stale) {
        this.session = session;
        this.index = index;
        this.split = split;
        this.packed = packed;
        this.stale = stale;
    }

    /** Negotiates what the driver model supports, sets up every queue of the device type, and sets DRIVER_OK. */
    static RawRequestQueue start(Session session) {
        DeviceType type = session.deviceType();
        Assumptions.assumeTrue(type != null, "the device type of " + session.target().canonical() + " is unknown");
        VirtioDriver driver = session.driver();
        driver.negotiate(Devices.DRIVER_SUPPORTS);
        int index = Workload.requestQueue(type);
        boolean isPacked = driver.negotiated().has(Feature.RING_PACKED);
        Allocator alloc = driver.allocator();
        RawSplitRing split = null;
        RawPackedRing packed = null;
        for (int q = 0; q < type.baseQueues(); q++) {
            if (q != index) {
                driver.setupQueue(q, Devices.QUEUE_SIZE);
                continue;
            }
            long max = Integer.toUnsignedLong(session.transport().queueMaxSize(q));
            Assumptions.assumeTrue(max > 1, "queue " + q + " has maximum size " + max);
            int size = (int) Math.min(Devices.QUEUE_SIZE, max);
            Transport t = session.transport();
            if (isPacked) {
                packed = RawPackedRing.allocate(alloc, size);
                t.configureQueue(q, size, packed.descriptorArea(), packed.driverArea(), packed.deviceArea());
            } else {
                size = Integer.highestOneBit(size);
                split = RawSplitRing.allocate(alloc, size);
                t.configureQueue(q, size, split.descriptorArea(), split.driverArea(), split.deviceArea());
            }
            t.setQueueReady(q, true);
        }
        Buffer stale = alloc.readable(Devices.pattern(STALE_BYTES, 7));
        driver.driverOk();
        return new RawRequestQueue(session, index, split, packed, stale);
    }

    Session session() {
        return session;
    }

    Allocator allocator() {
        return session.allocator();
    }

    GuestMemory memory() {
        return session.memory();
    }

    boolean packed() {
        return packed != null;
    }

    int size() {
        return packed() ? packed.size() : split.size();
    }

    /** The request of the session's device type, in fresh buffers. */
    Workload.Request request() {
        return Workload.request(allocator(), session.deviceType());
    }

    /** Ends the probe in SKIP unless the layout is split: the malformation needs descriptor indices. */
    void assumeSplit(String why) {
        Assumptions.assumeFalse(packed(), why + "; this variant uses a packed ring");
    }

    void assumeIndirect() {
        Assumptions.assumeTrue(session.driver().negotiated().has(Feature.INDIRECT_DESC),
                "device or target without INDIRECT_DESC");
    }

    /**
     * Writes {@code chain} from descriptor (or slot) 0 on. A split ring gets the descriptors as given, every other
     * descriptor stale; a packed ring gets them in consecutive slots marked available in the first lap, head last
     * (§2.8.17), the buffer id 0 in each, and the flags as given otherwise.
     */
    void place(List<Element> chain) {
        if (packed()) {
            for (int i = chain.size() - 1; i >= 0; i--) {
                Element e = chain.get(i);
                packed.publish(i, new PackedDescriptor(e.addr(), e.len(), 0, e.flags() | availBits(true)));
            }
            return;
        }
        for (int i = 0; i < split.size(); i++) {
            split.descriptor(i, i < chain.size() ? split(chain.get(i))
                    : new SplitDescriptor(stale.address(), stale.length(), Element.WRITE, 0));
        }
    }

    /**
     * Remembers {@code length} bytes at {@code addr} that lie beyond the allocator's watch (the end of guest memory,
     * past what it handed out) and that the device must not write.
     */
    void watch(long addr, int length) {
        watched.add(new Watched(addr, memory().read(addr, length)));
    }

    /** The watched ranges the device changed, described with their raw bytes; empty when none. */
    List<String> damage() {
        List<String> out = new ArrayList<>();
        for (Watched w : watched) {
            byte[] now = memory().read(w.addr(), w.bytes().length);
            int at = Arrays.mismatch(now, w.bytes());
            if (at >= 0) {
                out.add(String.format("byte at 0x%x changed from 0x%02x to 0x%02x", w.addr() + at, w.bytes()[at] & 0xff,
                        now[at] & 0xff));
            }
        }
        return out;
    }

    /** Split: the descriptors as given, every other descriptor stale, and head 0 made available. */
    void placeAndMakeAvailable(List<Element> chain) {
        place(chain);
        if (!packed()) {
            makeAvailable(0);
        }
    }

    /** Split: avail ring entry 0 names {@code head}, published by avail idx 1. */
    void makeAvailable(int head) {
        split.availEntry(0, head);
        split.publishAvailIdx(1);
    }

    /** Split: the avail idx as given, with no validation. */
    void publishAvailIdx(int idx) {
        split.publishAvailIdx(idx);
    }

    /** Packed: writes one slot exactly as given, flags with a release store. */
    void publishSlot(int slot, PackedDescriptor d) {
        packed.publish(slot, d);
    }

    /**
     * An indirect table holding {@code entries} in the ring's descriptor format, in zeroed memory of its own with one
     * spare entry after them, so a descriptor that overstates the table's length by less than an entry still names
     * guest memory the probe owns.
     */
    long table(List<Element> entries) {
        long at = allocator().ring(16 * (entries.size() + 1), 16);
        for (int i = 0; i < entries.size(); i++) {
            Element e = entries.get(i);
            if (packed()) {
                new PackedDescriptor(e.addr(), e.len(), 0, e.flags()).write(memory(), at + 16L * i);
            } else {
                split(e).write(memory(), at + 16L * i);
            }
        }
        return at;
    }

    private static SplitDescriptor split(Element e) {
        return new SplitDescriptor(e.addr(), e.len(), e.flags(), e.next());
    }

    /** What the device did within a short window after the notification. */
    record Outcome(boolean completed, long id, long len, int usedCount, boolean needsReset, boolean ringError,
                   String lost) {

        boolean refused() {
            return !completed;
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (completed) {
                parts.add("the device returned it (used id " + id + ", len " + len + ")");
            }
            if (needsReset) {
                parts.add("the device set DEVICE_NEEDS_RESET");
            }
            if (ringError) {
                parts.add("the back-end signalled the ring's err eventfd");
            }
            if (lost != null) {
                parts.add("the back-end closed the connection (" + lost + ")");
            }
            return parts.isEmpty() ? "the device left it unused" : String.join(", ", parts);
        }
    }

    /** Notifies the queue and watches, for a short window, for a completion, DEVICE_NEEDS_RESET, the err eventfd or a lost connection. */
    Outcome notifyAndObserve() {
        Transport t = session.transport();
        boolean needsReset = false;
        boolean ringError = false;
        try {
            t.notifyQueue(index);
            Deadline window = Deadline.after(WINDOW);
            for (int attempt = 0; ; attempt++) {
                needsReset = (t.status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0;
                ringError |= session instanceof VhostUserSession v && v.vhostUser().takeRingError(index);
                if (completed() || needsReset || ringError || window.expired()) {
                    break;
                }
                Deadline.pause(attempt);
            }
        } catch (DeviceLostException e) {
            return outcome(needsReset, ringError, e.getMessage());
        }
        return outcome(needsReset, ringError, null);
    }

    private boolean completed() {
        return packed() ? isUsed(packed.flags(0), true) : split.usedIdx() != 0;
    }

    private Outcome outcome(boolean needsReset, boolean ringError, String lost) {
        if (!completed()) {
            return new Outcome(false, 0, 0, 0, needsReset, ringError, lost);
        }
        if (packed()) {
            PackedDescriptor used = packed.descriptor(0);
            // Element Length is reserved in a used descriptor without WRITE (§2.8.4): nothing was written.
            long len = (used.flags() & Element.WRITE) != 0 ? used.len() : 0;
            return new Outcome(true, used.id(), len, 1, needsReset, ringError, lost);
        }
        UsedElement used = split.usedElement(0);
        return new Outcome(true, used.id(), used.len(), split.usedIdx(), needsReset, ringError, lost);
    }
}
