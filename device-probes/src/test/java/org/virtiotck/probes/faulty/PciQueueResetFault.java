package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.pci.CommonConfig.*;

import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.VirtioDevice;

/** The reference virtio-pci function with a {@link QueueResetFault} in queue_reset and queue_enable. */
final class PciQueueResetFault extends PatchedPciFunction implements QueueResetFault.Registers {
    private final QueueResetFault fault;

    PciQueueResetFault(VirtioDevice device, GuestMemory memory, QueueResetFault fault) {
        super(device, memory);
        this.fault = fault;
    }

    @Override
    protected long commonRead(int field, int width, long correct) {
        long v = switch (field) {
            case QUEUE_RESET -> fault.readReset(this, correct);
            case QUEUE_ENABLE -> fault.readEnable(this, correct);
            default -> correct;
        };
        fault.afterRead(this);
        return v;
    }

    @Override
    protected boolean commonWrite(int field, int width, long value) {
        if (field == QUEUE_RESET && value == 1) {
            return fault.writeReset(this);
        }
        if (field == QUEUE_ENABLE && value == 1) {
            fault.enabled(selected());
        } else if (field == DEVICE_STATUS && value == 0) {
            fault.deviceReset();
        }
        return true;
    }

    @Override
    public int selected() {
        return (int) correctCommon(QUEUE_SELECT, 2);
    }

    @Override
    public void select(int queue) {
        writeCommon(QUEUE_SELECT, 2, queue);
    }

    @Override
    public void resetSelected() {
        writeCommon(QUEUE_RESET, 2, 1);
    }

    @Override
    public boolean enabled() {
        return correctCommon(QUEUE_ENABLE, 2) == 1;
    }
}
