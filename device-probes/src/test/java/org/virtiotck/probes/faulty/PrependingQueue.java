package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;

/**
 * A device queue that hands out chains a faulty device picked itself, in the order given, before whatever the
 * real queue holds: a chain taken early, out of order, or from somewhere the queue would not look.
 */
class PrependingQueue extends ForwardingQueue {
    private final List<DescriptorChain> first;

    PrependingQueue(DeviceQueue real, List<DescriptorChain> first) {
        super(real);
        this.first = new ArrayList<>(first);
    }

    /** Everything {@code real} holds now, handed out last first. */
    static PrependingQueue reversed(DeviceQueue real) {
        List<DescriptorChain> available = new ArrayList<>();
        for (Optional<DescriptorChain> c = real.pop(); c.isPresent(); c = real.pop()) {
            available.add(c.get());
        }
        Collections.reverse(available);
        return new PrependingQueue(real, available);
    }

    @Override
    public Optional<DescriptorChain> pop() {
        return first.isEmpty() ? real.pop() : Optional.of(first.remove(0));
    }
}
