package org.virtiotck.harness.vhostuser.protocol;

/**
 * One entry of VHOST_USER_SET_MEM_TABLE: guest-physical range, the frontend's user address of its first byte,
 * and where it starts in the descriptor sent with it. The back-end maps the descriptor from offset 0 over
 * {@code mmapOffset + size} bytes and finds the region at {@code mmapOffset}.
 */
public record MemoryRegion(long guestAddress, long size, long userAddress, long mmapOffset) {
    /** Encoded size: four u64. */
    public static final int BYTES = 32;

    /** The "memory regions description" payload: count, padding, then the regions. */
    public static byte[] table(java.util.List<MemoryRegion> regions) {
        var b = Payload.allocate(8 + BYTES * regions.size()).putInt(regions.size()).putInt(0);
        for (MemoryRegion r : regions) {
            b.putLong(r.guestAddress).putLong(r.size).putLong(r.userAddress).putLong(r.mmapOffset);
        }
        return b.array();
    }

    /**
     * The regions of a "memory regions description" payload, for a back-end.
     *
     * @throws VhostUserProtocolException when the count does not match the payload size
     */
    public static java.util.List<MemoryRegion> decodeTable(byte[] payload) {
        var b = Payload.wrap(payload);
        long count = payload.length >= 8 ? Integer.toUnsignedLong(b.getInt()) : -1;
        if (count < 0 || payload.length != 8 + BYTES * count) {
            throw new VhostUserProtocolException("memory table of " + payload.length + " bytes announces "
                    + count + " regions");
        }
        b.getInt();
        var regions = new java.util.ArrayList<MemoryRegion>();
        for (long i = 0; i < count; i++) {
            regions.add(new MemoryRegion(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
        }
        return regions;
    }

    public boolean containsGuest(long gpa, long length) {
        return length >= 0 && gpa >= guestAddress && gpa - guestAddress <= size - length;
    }

    public boolean containsUser(long uva, long length) {
        return length >= 0 && uva >= userAddress && uva - userAddress <= size - length;
    }
}
