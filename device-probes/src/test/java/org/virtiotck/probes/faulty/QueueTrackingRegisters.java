package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.transport.MmioBus;
import org.virtiotck.harness.inproc.SplitDeviceQueue;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * A register file that remembers where the driver put queue 0 (the request queue of a blk device), so that a
 * faulty subclass can do to that queue's memory what the correct device never would. Hooks run after the correct
 * register file handled the write.
 */
class QueueTrackingRegisters extends WrappedRegisters {
    protected final GuestMemory memory;
    protected long select;
    protected long num;
    protected long desc;
    protected long driverArea;
    protected long deviceArea;
    /** Split rings: the used idx as it was when the driver last notified queue 0, before the device handled it. */
    protected int usedIdxAtNotify;

    QueueTrackingRegisters(MmioBus correct, GuestMemory memory) {
        super(correct);
        this.memory = memory;
    }

    @Override
    public void write(long offset, int width, long value) {
        if (offset == QUEUE_SEL) {
            select = value;
        } else if (select == 0) {
            switch ((int) offset) {
                case QUEUE_NUM -> num = value;
                case QUEUE_DESC_LOW -> desc = value;
                case QUEUE_DRIVER_LOW -> driverArea = value;
                case QUEUE_DEVICE_LOW -> deviceArea = value;
                default -> { }
            }
        }
        if (offset == QUEUE_NOTIFY && value == 0 && deviceArea != 0) {
            usedIdxAtNotify = memory.u16(deviceArea + 2);
        }
        beforeWrite(offset, value);
        super.write(offset, width, value);
        if (offset == QUEUE_NOTIFY && value == 0) {
            afterNotify();
        }
    }

    /** Called before the correct register file sees a write. */
    void beforeWrite(long offset, long value) {
    }

    /** Called once the correct device has handled a notification of queue 0. */
    void afterNotify() {
    }

    /**
     * Has {@code device} serve queue 0 as a split ring at the addresses the driver last gave it, past the register
     * file's checks: what a faulty device does when it keeps using a queue it should have let go.
     */
    void serveQueueZero(VirtioDevice device) {
        device.process(0, new SplitDeviceQueue(memory, (int) num, desc, driverArea, deviceArea,
                new RingFeatures(true, false, false)));
    }

    long status() {
        return correct.read(STATUS, 4);
    }
}
