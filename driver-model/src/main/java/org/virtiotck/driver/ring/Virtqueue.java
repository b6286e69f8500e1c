package org.virtiotck.driver.ring;

import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.trace.RequestTrace;

/**
 * The driver side of one virtqueue: a well-behaved driver that makes chains available and takes completions
 * back, validating everything the device wrote. It knows nothing of transports; the caller notifies when
 * {@link #notificationNeeded()} says the device asked for it.
 */
public interface Virtqueue {

    int index();

    int size();

    /** Guest addresses to program into the transport's queue registers. */
    long descriptorArea();

    long driverArea();

    long deviceArea();

    /** The negotiated features this queue was laid out for. */
    RingFeatures features();

    /** Ring descriptors not in flight: the longest direct chain {@link #add} accepts right now. */
    int freeDescriptors();

    /**
     * Makes a chain of readable then writable buffers available: through an indirect table when INDIRECT_DESC
     * was negotiated and the chain has more than one buffer that fits a table, as direct descriptors otherwise.
     */
    default Chain add(List<Buffer> readable, List<Buffer> writable) {
        int n = readable.size() + writable.size();
        return add(readable, writable, features().indirect() && n > 1 && n <= maxIndirect());
    }

    /** Makes a chain available, through an indirect table when {@code indirect} (which needs INDIRECT_DESC). */
    Chain add(List<Buffer> readable, List<Buffer> writable, boolean indirect);

    /** Longest chain one indirect table holds; 0 without INDIRECT_DESC. */
    int maxIndirect();

    /**
     * Whether the device asked to be notified of the buffers made available since the previous call: its
     * suppression flag, or with EVENT_IDX its event index (§2.7.10, §2.8.10). Resets the count of new buffers.
     */
    boolean notificationNeeded();

    /** Asks the device for used buffer notifications from now on (flags, or with EVENT_IDX the event index). */
    void enableUsedNotifications();

    /** Asks the device for no used buffer notifications (a hint the device SHOULD honour). */
    void disableUsedNotifications();

    /** The next valid completion the device published, if any. Invalid used entries become findings. */
    Optional<Completion> poll();

    /**
     * Where this queue records the chains it makes available and the completions it takes back, with their ring
     * positions ({@link RequestTrace#OFF} until set). The driver hands it its session's trace.
     */
    void trace(RequestTrace trace);

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
