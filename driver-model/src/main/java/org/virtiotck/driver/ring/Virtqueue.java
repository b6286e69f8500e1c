package org.virtiotck.driver.ring;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Buffer;

/**
 * The driver side of one virtqueue: a well-behaved driver that makes chains available and takes completions
 * back, validating everything the device wrote. It knows nothing of transports; the caller notifies.
 */
public interface Virtqueue {

    int index();

    int size();

    /** Guest addresses to program into the transport's queue registers. */
    long descriptorArea();

    long driverArea();

    long deviceArea();

    /** Makes a chain of readable then writable buffers available to the device. */
    Chain add(List<Buffer> readable, List<Buffer> writable);

    /** The next valid completion the device published, if any. Invalid used entries become findings. */
    Optional<Completion> poll();

    /** Findings so far: bad used entries, and writes to structures the device must not touch. */
    List<Finding> findings();

    /** Waits for the next valid completion; throws {@link DeviceTimeoutException} at the deadline. */
    default Completion await(Deadline deadline) {
        for (int attempt = 0; ; attempt++) {
            Optional<Completion> c = poll();
            if (c.isPresent()) {
                return c.get();
            }
            deadline.check("complete a buffer on queue " + index());
            Deadline.pause(attempt);
        }
    }
}
