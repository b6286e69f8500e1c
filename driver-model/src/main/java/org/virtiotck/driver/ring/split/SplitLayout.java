package org.virtiotck.driver.ring.split;

/** Sizes, alignments and field offsets of the split virtqueue structures (VIRTIO 1.2 §2.7). */
public final class SplitLayout {
    public static final int DESC_SIZE = 16;
    public static final int DESC_ALIGN = 16;
    public static final int AVAIL_ALIGN = 2;
    public static final int USED_ALIGN = 4;
    public static final int USED_ELEM_SIZE = 8;

    public static final int F_NEXT = 1;
    public static final int F_WRITE = 2;
    public static final int F_INDIRECT = 4;

    /** Avail ring flag: the driver asks for no used buffer notifications (ignored with VIRTIO_F_EVENT_IDX). */
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    /** Used ring flag: the device asks for no available buffer notifications (ignored with VIRTIO_F_EVENT_IDX). */
    public static final int USED_F_NO_NOTIFY = 1;

    /** Ring header: flags u16 then idx u16, in both avail and used rings. */
    public static final int RING_FLAGS = 0;
    public static final int RING_IDX = 2;
    public static final int RING_ENTRIES = 4;

    private SplitLayout() {
    }

    /** flags, idx, ring[size], used_event. */
    public static int availBytes(int size) {
        return 6 + 2 * size;
    }

    /** flags, idx, ring[size] of {id, len}, avail_event. */
    public static int usedBytes(int size) {
        return 6 + USED_ELEM_SIZE * size;
    }

    /** Offset of used_event in the avail ring: the driver's "notify me once used idx passes this" (§2.7.10). */
    public static long usedEventOffset(int size) {
        return RING_ENTRIES + 2L * size;
    }

    /** Offset of avail_event in the used ring: the device's "notify me once avail idx passes this" (§2.7.10). */
    public static long availEventOffset(int size) {
        return RING_ENTRIES + (long) USED_ELEM_SIZE * size;
    }

    /** Valid split queue sizes are powers of two up to 32768 (§2.7). */
    public static boolean validSize(int size) {
        return size > 0 && size <= 32768 && Integer.bitCount(size) == 1;
    }
}
