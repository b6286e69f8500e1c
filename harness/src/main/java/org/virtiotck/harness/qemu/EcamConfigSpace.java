package org.virtiotck.harness.qemu;

import org.virtiotck.driver.transport.pci.PciConfigSpace;

/**
 * The configuration space of one PCI function through the virt machine's PCIe ECAM window, reached by the guest
 * stub: function {@code bus:dev.fn} register {@code reg} is at ECAM + (bus &lt;&lt; 20 | dev &lt;&lt; 15 | fn &lt;&lt; 12 | reg).
 */
final class EcamConfigSpace implements PciConfigSpace {
    /** QEMU virt's ECAM with highmem on (the default with cortex-a57): 256 buses. */
    static final long ECAM_BASE = 0x40_1000_0000L;

    private final Mailbox mailbox;
    private final long function;

    EcamConfigSpace(Mailbox mailbox, int bus, int device, int fn) {
        this.mailbox = mailbox;
        this.function = ECAM_BASE + ((long) bus << 20 | (long) device << 15 | (long) fn << 12);
    }

    @Override
    public int read(int offset, int width) {
        check(offset, width);
        return (int) mailbox.read(function + offset, width);
    }

    @Override
    public void write(int offset, int width, int value) {
        check(offset, width);
        long mask = width == 4 ? 0xffff_ffffL : (1L << 8 * width) - 1;
        mailbox.write(function + offset, width, value & mask);
    }

    /** Naturally aligned accesses inside the function's 4 KiB: anything else would reach another function. */
    private static void check(int offset, int width) {
        if ((width != 1 && width != 2 && width != 4) || offset < 0 || offset + width > 4096 || offset % width != 0) {
            throw new IllegalArgumentException("config space access of " + width + " bytes at 0x" + Integer.toHexString(offset));
        }
    }
}
