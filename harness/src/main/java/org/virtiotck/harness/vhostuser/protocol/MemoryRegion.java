package org.virtiotck.harness.vhostuser.protocol;

/**
 * One entry of VHOST_USER_SET_MEM_TABLE: guest-physical range, the frontend's user address of its first byte,
 * and where it starts in the descriptor sent with it. The back-end maps the descriptor from offset 0 over
 * {@code mmapOffset + size} bytes and finds the region at {@code mmapOffset}.
 */
public record MemoryRegion(long guestAddress, long size, long userAddress, long mmapOffset) {
    /** Encoded size: four u64. */
    public static final int BYTES = 32;

    public boolean containsGuest(long gpa, long length) {
        return length >= 0 && gpa >= guestAddress && gpa - guestAddress <= size - length;
    }

    public boolean containsUser(long uva, long length) {
        return length >= 0 && uva >= userAddress && uva - userAddress <= size - length;
    }
}
