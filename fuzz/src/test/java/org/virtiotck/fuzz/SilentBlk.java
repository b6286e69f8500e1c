package org.virtiotck.fuzz;

import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.inproc.DeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A deliberately faulty blk device for the fuzzer's power test: it serves every request but never sends a used
 * buffer notification, whatever the driver asked for. A driver that polls, as the fuzzer's does, sees every
 * completion; only the notification oracle notices.
 */
public final class SilentBlk extends PowerTestBlk {
    static final String TARGET = "inproc:fuzz-blk-silent?transport=mmio&ring=split";

    public SilentBlk() {
        super("fuzz-blk-silent");
    }

    @Override
    public VirtioDevice create() {
        return new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false) {
            @Override
            public void process(int queueIndex, DeviceQueue queue) {
                super.process(queueIndex, queue);
                // Takes the decision the device core would take next, so that the core finds nothing to notify.
                queue.takeUsedNotification();
            }
        };
    }
}
