package org.virtiotck.fuzz;

import static org.virtiotck.driver.ring.packed.PackedLayout.availBits;
import static org.virtiotck.driver.ring.packed.PackedLayout.isUsed;

import java.time.Duration;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.ring.packed.PackedDescriptor;
import org.virtiotck.driver.ring.packed.PackedLayout;
import org.virtiotck.driver.ring.packed.RawPackedRing;
import org.virtiotck.driver.ring.split.RawSplitRing;
import org.virtiotck.driver.ring.split.SplitDescriptor;
import org.virtiotck.driver.ring.split.UsedElement;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.Transport;

/**
 * One queue of a started device driven through the raw ring layer, fresh (descriptor 0, ring slot 0, every index
 * 0), so a mutation can make available what no well-behaved driver would; the device's other queues are the
 * driver's. (The malformed probes keep a similar setup of their own: fuzz does not depend on device-probes.)
 */
final class RawQueue {
    /** How long a device gets to use, refuse or flag the request before it is judged. */
    private static final Duration WINDOW = Duration.ofMillis(50);

    private final Transport transport;
    private final int index;
    private final RawSplitRing split;
    private final RawPackedRing packed;

    private RawQueue(Transport transport, int index, RawSplitRing split, RawPackedRing packed) {
        this.transport = transport;
        this.index = index;
        this.split = split;
        this.packed = packed;
    }

    /** Sets up queues 0 to {@code queues - 1} on a negotiated device, {@code index} raw, and sets DRIVER_OK. */
    static RawQueue start(VirtioDriver driver, int queues, int index, int maxSize) {
        Transport t = driver.transport();
        Allocator alloc = driver.allocator();
        RawQueue raw = null;
        for (int q = 0; q < queues; q++) {
            if (q != index) {
                driver.setupQueue(q, maxSize);
                continue;
            }
            int size = (int) Math.min(maxSize, Integer.toUnsignedLong(t.queueMaxSize(q)));
            if (driver.negotiated().has(Feature.RING_PACKED)) {
                RawPackedRing p = RawPackedRing.allocate(alloc, size);
                t.configureQueue(q, size, p.descriptorArea(), p.driverArea(), p.deviceArea());
                raw = new RawQueue(t, q, null, p);
            } else {
                size = Integer.highestOneBit(size);
                RawSplitRing s = RawSplitRing.allocate(alloc, size);
                t.configureQueue(q, size, s.descriptorArea(), s.driverArea(), s.deviceArea());
                raw = new RawQueue(t, q, s, null);
            }
            t.setQueueReady(q, true);
        }
        driver.driverOk();
        return raw;
    }

    boolean packed() {
        return packed != null;
    }

    int size() {
        return packed() ? packed.size() : split.size();
    }

    /** Split: writes descriptor {@code i} as given. */
    void descriptor(int i, long addr, long len, int flags, int next) {
        split.descriptor(i, new SplitDescriptor(addr, len, flags, next));
    }

    /** Split: every avail ring entry names {@code head}; the idx is published as given. */
    void publish(int head, int availIdx) {
        for (int i = 0; i < split.size(); i++) {
            split.availEntry(i, head);
        }
        split.publishAvailIdx(availIdx);
    }

    /** Packed: slot {@code slot} holds the descriptor with buffer id 0, its flags stored last. */
    void slot(int slot, long addr, long len, int flags) {
        packed.publish(slot, new PackedDescriptor(addr, len, 0, flags));
    }

    /** Packed: AVAIL/USED bits that make a slot available in the first lap. */
    static int available() {
        return availBits(true);
    }

    /** Packed: AVAIL/USED bits of the other lap. */
    static int otherLap() {
        return availBits(false);
    }

    /** Packed: AVAIL and USED both set. */
    static int usedLooking() {
        return PackedLayout.F_AVAIL | PackedLayout.F_USED;
    }

    /** What the device did within the window: used entries, the first one's len, and whether it gave up. */
    record Outcome(int usedCount, long len, boolean needsReset, String lost) {
        boolean completed() {
            return usedCount > 0;
        }
    }

    /** Notifies the queue and watches, for a short window, for a completion, DEVICE_NEEDS_RESET or a lost connection. */
    Outcome notifyAndObserve() {
        boolean needsReset = false;
        try {
            transport.notifyQueue(index);
            Deadline window = Deadline.after(WINDOW);
            for (int attempt = 0; ; attempt++) {
                needsReset = (transport.status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0;
                if (usedCount() > 0 || needsReset || window.expired()) {
                    break;
                }
                Deadline.pause(attempt);
            }
        } catch (DeviceLostException e) {
            return outcome(needsReset, e.getMessage());
        }
        return outcome(needsReset, null);
    }

    private int usedCount() {
        return packed() ? (isUsed(packed.flags(0), true) ? 1 : 0) : split.usedIdx();
    }

    private Outcome outcome(boolean needsReset, String lost) {
        int count = usedCount();
        if (count == 0) {
            return new Outcome(0, 0, needsReset, lost);
        }
        if (packed()) {
            PackedDescriptor used = packed.descriptor(0);
            // A used descriptor without WRITE has a reserved len (§2.8.4): nothing was written.
            return new Outcome(1, (used.flags() & PackedLayout.F_WRITE) != 0 ? used.len() : 0, needsReset, lost);
        }
        UsedElement used = split.usedElement(0);
        return new Outcome(count, used.len(), needsReset, lost);
    }
}
