package org.virtiotck.fuzz;

import static org.virtiotck.driver.ring.split.SplitLayout.DESC_SIZE;
import static org.virtiotck.driver.ring.split.SplitLayout.F_NEXT;
import static org.virtiotck.driver.ring.split.SplitLayout.RING_ENTRIES;
import static org.virtiotck.driver.ring.split.SplitLayout.RING_IDX;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.SplitDeviceQueue;

/** What the faulty devices of the power tests see of a split ring before the queue validates it. */
final class SplitChainPeek {
    private SplitChainPeek() {
    }

    /**
     * Guest addresses of the descriptors of the chain the next avail entry names, in walk order, following NEXT
     * with indices taken modulo the size, as a device that trusts the driver would; at most {@code limit}.
     */
    static List<Long> descriptors(SplitDeviceQueue q, int limit) {
        GuestMemory m = q.memory();
        List<Long> walk = new ArrayList<>();
        if (m.u16(q.driverArea() + RING_IDX) == q.lastAvail()) {
            return walk;
        }
        int index = m.u16(q.driverArea() + RING_ENTRIES + 2L * (q.lastAvail() % q.size()));
        while (walk.size() < limit) {
            long d = q.descriptorArea() + (long) DESC_SIZE * (index % q.size());
            walk.add(d);
            if ((m.u16(d + 12) & F_NEXT) == 0) {
                break;
            }
            index = m.u16(d + 14);
        }
        return walk;
    }
}
