package org.virtiotck.probes.faulty;

import static org.virtiotck.driver.transport.mmio.MmioRegister.*;

import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;

/**
 * A register file that shows a used buffer interrupt the correct device never raised: from a write the subclass
 * picks until the driver acknowledges that bit.
 */
abstract class SpuriousUsedInterrupt extends QueueTrackingRegisters {
    private boolean pending;

    SpuriousUsedInterrupt(MmioBus correct, GuestMemory memory) {
        super(correct, memory);
    }

    /** Whether this write, about to reach the correct register file, raises the interrupt. */
    abstract boolean raises(long offset, long value);

    @Override
    void beforeWrite(long offset, long value) {
        pending |= raises(offset, value);
        pending &= !(offset == INTERRUPT_ACK && (value & INT_USED_BUFFER) != 0);
    }

    @Override
    public long read(long offset, int width) {
        long v = super.read(offset, width);
        return offset == INTERRUPT_STATUS && pending ? v | INT_USED_BUFFER : v;
    }
}
