package org.virtiotck.driver.ring;

/**
 * The VIRTIO_F_EVENT_IDX rule shared by both sides of both ring layouts (VIRTIO 1.2 §2.7.10, §2.8.10): after
 * moving an index from {@code oldIdx} to {@code newIdx}, the other side wants a notification exactly when the
 * event index it published lies in [oldIdx, newIdx). All arithmetic is modulo 2^16.
 */
public final class EventIdx {
    private EventIdx() {
    }

    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }

    /**
     * The packed form (§2.8.10, descriptor-specific mode): {@code offWrap} names a ring slot and the wrap counter
     * of the lap it is in; the index moved from {@code newSlot - moved} to {@code newSlot}, which lies in the lap
     * whose wrap counter is {@code newWrap}. An event slot in the previous lap counts as {@code size} slots back.
     */
    public static boolean needPackedEvent(int offWrap, int newSlot, boolean newWrap, int moved, int size) {
        int event = offWrap & 0x7fff;
        boolean eventWrap = (offWrap & 0x8000) != 0;
        if (eventWrap != newWrap) {
            event -= size;
        }
        return needEvent(event & 0xffff, newSlot, (newSlot - moved) & 0xffff);
    }
}
