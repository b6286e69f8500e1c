package org.virtiotck.probes.faulty;

import static org.virtiotck.harness.inproc.PciDeviceModel.COMMON_OFFSET;
import static org.virtiotck.harness.inproc.PciDeviceModel.ISR_OFFSET;

import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.inproc.PciDeviceModel;
import org.virtiotck.harness.inproc.VirtioDevice;

/**
 * The reference virtio-pci function with hooks where a faulty subclass plants its one deviation: configuration
 * space bytes as read, and common configuration and ISR accesses through the memory BAR. Every hook passes the
 * correct behaviour through by default. Accesses through the pci_cfg window bypass the BAR hooks.
 */
class PatchedPciFunction extends PciDeviceModel {

    PatchedPciFunction(VirtioDevice device, GuestMemory memory) {
        super(device, memory);
    }

    /** A configuration space byte as the driver will see it; {@code correct} is what the reference presents. */
    protected int configByte(int pos, int correct) {
        return correct;
    }

    /** Whether a configuration space write reaches the reference function. */
    protected boolean configWrite(int offset, int width, int value) {
        return true;
    }

    /** What a read of the common configuration field at {@code field} returns. */
    protected long commonRead(int field, int width, long correct) {
        return correct;
    }

    /** Whether a common configuration write reaches the reference function. */
    protected boolean commonWrite(int field, int width, long value) {
        return true;
    }

    /** What a read of the ISR status returns. */
    protected long isrRead(long correct) {
        return correct;
    }

    /** A common configuration field read past the hooks, for faults that consult the current state. */
    protected final long correctCommon(int field, int width) {
        return super.read(barAddress() + COMMON_OFFSET + field, width);
    }

    /** A common configuration field written past the hooks. */
    protected final void writeCommon(int field, int width, long value) {
        super.write(barAddress() + COMMON_OFFSET + field, width, value);
    }

    @Override
    public synchronized int read(int offset, int width) {
        int correct = super.read(offset, width);
        int v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | configByte(offset + i, correct >>> 8 * i & 0xff) & 0xff;
        }
        return v;
    }

    @Override
    public synchronized void write(int offset, int width, int value) {
        if (configWrite(offset, width, value)) {
            super.write(offset, width, value);
        }
    }

    @Override
    public synchronized long read(long address, int width) {
        long correct = super.read(address, width);
        long offset = address - barAddress();
        if (offset >= COMMON_OFFSET && offset < ISR_OFFSET) {
            return commonRead((int) (offset - COMMON_OFFSET), width, correct);
        }
        return offset == ISR_OFFSET ? isrRead(correct) : correct;
    }

    @Override
    public synchronized void write(long address, int width, long value) {
        long offset = address - barAddress();
        if (offset < COMMON_OFFSET || offset >= ISR_OFFSET || commonWrite((int) (offset - COMMON_OFFSET), width, value)) {
            super.write(address, width, value);
        }
    }
}
