package org.virtiotck.harness.qemu;

import org.virtiotck.driver.transport.MmioBus;

/**
 * An {@link MmioBus} whose accesses the guest stub performs inside QEMU, one mailbox round trip each, at
 * {@code base + offset}: base 0 gives absolute bus addresses (what the PCI transport wants), a virtio-mmio
 * slot's address gives that register window. Widths 1, 2, 4 and 8, values zero-extended.
 */
public final class MailboxBus implements MmioBus {
    private final Mailbox mailbox;
    private final long base;

    MailboxBus(Mailbox mailbox, long base) {
        this.mailbox = mailbox;
        this.base = base;
    }

    @Override
    public long read(long offset, int width) {
        return mailbox.read(base + offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        mailbox.write(base + offset, width, value);
    }
}
