package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import org.virtiotck.driver.transport.MmioBus;

/** The reference virtio-mmio register file with a {@link QueueResetFault} in QueueReset and QueueReady. */
final class MmioQueueResetFault extends WrappedRegisters implements QueueResetFault.Registers {
    private final QueueResetFault fault;
    /** QueueSel is write-only, so the fault's view of it is kept here. */
    private int selected;

    MmioQueueResetFault(MmioBus correct, QueueResetFault fault) {
        super(correct);
        this.fault = fault;
    }

    @Override
    public long read(long offset, int width) {
        long v = super.read(offset, width);
        if (offset == QUEUE_RESET) {
            v = fault.readReset(this, v);
        } else if (offset == QUEUE_READY) {
            v = fault.readEnable(this, v);
        }
        fault.afterRead(this);
        return v;
    }

    @Override
    public void write(long offset, int width, long value) {
        if (offset == QUEUE_SEL) {
            selected = (int) value;
        }
        if (offset == QUEUE_RESET && value == 1 && !fault.writeReset(this)) {
            return;
        }
        super.write(offset, width, value);
        if (offset == QUEUE_READY && value == 1) {
            fault.enabled(selected);
        } else if (offset == STATUS && value == 0) {
            fault.deviceReset();
        }
    }

    @Override
    public int selected() {
        return selected;
    }

    @Override
    public void select(int queue) {
        super.write(QUEUE_SEL, 4, queue);
        selected = queue;
    }

    @Override
    public void resetSelected() {
        super.write(QUEUE_RESET, 4, 1);
    }

    @Override
    public boolean enabled() {
        return super.read(QUEUE_READY, 4) == 1;
    }
}
