package org.virtiotck.harness.qemu;

import org.virtiotck.driver.transport.MmioBus;

/**
 * An {@link MmioBus} whose accesses the guest stub performs inside QEMU, one mailbox round trip each, at absolute
 * bus addresses (what the PCI transport wants); {@link #window} gives a virtio-mmio slot's register window.
 * Widths 1, 2, 4 and 8, values zero-extended.
 */
public final class MailboxBus implements MmioBus {
    private final Mailbox mailbox;

    MailboxBus(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    @Override
    public long read(long address, int width) {
        return mailbox.read(address, width);
    }

    @Override
    public void write(long address, int width, long value) {
        mailbox.write(address, width, value);
    }
}
