package org.virtiotck.driver.transport;

import org.virtiotck.driver.Deadline;

/**
 * Consistent reads of device configuration fields (VIRTIO 1.2 §2.5.1): a field wider than 32 bits is read
 * in pieces, so the read is repeated until the configuration generation is the same before and after.
 */
public final class ConfigSpace {
    private ConfigSpace() {
    }

    public static long read64(Transport t, int offset, Deadline deadline) {
        for (int attempt = 0; ; attempt++) {
            int before = t.configGeneration();
            long low = t.readConfig(offset, 4);
            long high = t.readConfig(offset + 4, 4);
            if (t.configGeneration() == before) {
                return high << 32 | low;
            }
            deadline.check("settle its configuration generation while reading offset " + offset);
            Deadline.pause(attempt);
        }
    }
}
