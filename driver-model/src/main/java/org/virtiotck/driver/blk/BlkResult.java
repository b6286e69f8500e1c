package org.virtiotck.driver.blk;

import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.ring.Completion;

/**
 * What a virtio-blk request came back with: the status byte as the device left it, the device-writable data
 * bytes, and the used len. A status still holding the allocator's poison means the device never wrote it.
 */
public record BlkResult(int status, byte[] data, Completion completion) {

    public long usedLen() {
        return completion.usedLen();
    }

    public boolean statusWritten() {
        return status != (Allocator.POISON & 0xff);
    }

    public String statusName() {
        return statusWritten() ? BlkRequest.statusName(status) : "unwritten (poison 0xa5)";
    }
}
