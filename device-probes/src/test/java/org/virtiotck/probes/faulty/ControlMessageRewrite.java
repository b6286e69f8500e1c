package org.virtiotck.probes.faulty;

import org.virtiotck.harness.inproc.ForwardingQueue;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.virtiotck.driver.console.ControlMessage;
import org.virtiotck.harness.inproc.DescriptorChain;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.Segment;

/**
 * A console's control receiveq whose messages are changed after the reference device wrote them: the header
 * (id, event, value) in the first writable descriptor goes through {@code change}, the rest stays.
 */
final class ControlMessageRewrite extends ForwardingQueue {
    private final UnaryOperator<ControlMessage> change;

    ControlMessageRewrite(DeviceQueue real, UnaryOperator<ControlMessage> change) {
        super(real);
        this.change = change;
    }

    @Override
    public void push(DescriptorChain chain, long usedLen) {
        Optional<Segment> first = chain.segments().stream().filter(Segment::writable).findFirst();
        if (usedLen >= ControlMessage.SIZE && first.isPresent() && first.get().len() >= ControlMessage.SIZE) {
            long at = first.get().addr();
            ControlMessage.decode(memory().read(at, ControlMessage.SIZE))
                    .map(change)
                    .ifPresent(m -> memory().write(at, m.encode()));
        }
        super.push(chain, usedLen);
    }
}
