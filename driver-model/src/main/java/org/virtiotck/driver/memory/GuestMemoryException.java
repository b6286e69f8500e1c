package org.virtiotck.driver.memory;

/** An access outside the guest memory that was asked for; carries the raw address and length. */
public final class GuestMemoryException extends RuntimeException {
    private final long address;
    private final long length;

    public GuestMemoryException(long address, long length, long base, long size) {
        super(String.format("guest access [0x%x, +%d) outside guest memory [0x%x, 0x%x)",
                address, length, base, base + size));
        this.address = address;
        this.length = length;
    }

    public long address() {
        return address;
    }

    public long length() {
        return length;
    }
}
