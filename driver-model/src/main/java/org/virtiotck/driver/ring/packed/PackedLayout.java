package org.virtiotck.driver.ring.packed;

/**
 * Sizes, alignments, field offsets and flag bits of the packed virtqueue structures (VIRTIO 1.2 §2.8). Shared
 * by the driver model and the in-process device side, so both read the same layout.
 */
public final class PackedLayout {
    /** Packed queues hold at most 2^15 entries; any size from 1 up to that is valid, not only powers of two. */
    public static final int MAX_SIZE = 32768;

    /** Descriptor: addr u64, len u32, id u16, flags u16 (§2.8.13). */
    public static final int DESC_SIZE = 16;
    public static final int DESC_ALIGN = 16;
    public static final int DESC_ADDR = 0;
    public static final int DESC_LEN = 8;
    public static final int DESC_ID = 12;
    public static final int DESC_FLAGS = 14;

    public static final int F_NEXT = 1;
    public static final int F_WRITE = 2;
    public static final int F_INDIRECT = 4;
    public static final int F_AVAIL = 1 << 7;
    public static final int F_USED = 1 << 15;

    /** Event suppression structure: off_wrap u16 (offset in bits 0..14, wrap in bit 15), then flags u16 (§2.8.14). */
    public static final int EVENT_SIZE = 4;
    public static final int EVENT_ALIGN = 4;
    public static final int EVENT_OFF_WRAP = 0;
    public static final int EVENT_FLAGS = 2;

    /** Values of the two low bits of the event suppression flags; 3 is reserved. */
    public static final int EVENT_ENABLE = 0;
    public static final int EVENT_DISABLE = 1;
    /** Notify only at the descriptor named by off_wrap; valid only with VIRTIO_F_EVENT_IDX. */
    public static final int EVENT_DESC = 2;
    public static final int EVENT_FLAGS_MASK = 3;

    private PackedLayout() {
    }

    public static boolean validSize(int size) {
        return size > 0 && size <= MAX_SIZE;
    }

    public static int descRingBytes(int size) {
        return DESC_SIZE * size;
    }

    /** AVAIL and USED bits a driver sets to make a descriptor available: AVAIL equal to its wrap counter, USED not. */
    public static int availBits(boolean wrap) {
        return wrap ? F_AVAIL : F_USED;
    }

    /** AVAIL and USED bits a device sets to mark a descriptor used: both equal to its wrap counter. */
    public static int usedBits(boolean wrap) {
        return wrap ? F_AVAIL | F_USED : 0;
    }

    /** True when {@code flags} mark a descriptor available for a side whose wrap counter is {@code wrap}. */
    public static boolean isAvailable(int flags, boolean wrap) {
        return ((flags & F_AVAIL) != 0) == wrap && ((flags & F_USED) != 0) != wrap;
    }

    /** True when {@code flags} mark a descriptor used for a side whose wrap counter is {@code wrap}. */
    public static boolean isUsed(int flags, boolean wrap) {
        return ((flags & F_AVAIL) != 0) == wrap && ((flags & F_USED) != 0) == wrap;
    }

    /** The off_wrap value naming ring slot {@code offset} in the lap where the wrap counter is {@code wrap}. */
    public static int offWrap(int offset, boolean wrap) {
        return (offset & 0x7fff) | (wrap ? 0x8000 : 0);
    }
}
