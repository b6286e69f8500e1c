package org.virtiotck.driver.ring.packed;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.RingFeatures;

/** Indirect tables, event suppression and in-order batches on the driver-side packed ring, against a scripted device. */
class PackedRingFeaturesTest {
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 17);
    private final Allocator alloc = new Allocator(mem, mem.base(), mem.size(), 16);
    private int deviceNextUsed;
    private boolean deviceWrap = true;

    private PackedVirtqueue queue(boolean indirect, boolean eventIdx, boolean inOrder) {
        return PackedVirtqueue.allocate(alloc, 0, 8, new RingFeatures(indirect, eventIdx, inOrder));
    }

    private Chain request(PackedVirtqueue q) {
        return q.add(List.of(alloc.readable(new byte[] {1, 2, 3})), List.of(alloc.writable(8), alloc.writable(4)));
    }

    /** Writes a used descriptor for {@code id} at the device's next used slot and skips {@code slots} slots. */
    private void deviceUses(PackedVirtqueue q, int id, long len, int slots) {
        q.raw().publish(deviceNextUsed, new PackedDescriptor(0, len, id, usedBits(deviceWrap) | (len > 0 ? F_WRITE : 0)));
        deviceNextUsed += slots;
        if (deviceNextUsed >= q.size()) {
            deviceNextUsed -= q.size();
            deviceWrap = !deviceWrap;
        }
    }

    private void deviceEvent(PackedVirtqueue q, int offWrap, int flags) {
        mem.putU16(q.deviceArea() + EVENT_OFF_WRAP, offWrap);
        mem.putU16(q.deviceArea() + EVENT_FLAGS, flags);
    }

    private static List<Finding.Kind> kinds(PackedVirtqueue q) {
        return q.findings().stream().map(Finding::kind).toList();
    }

    @Test
    void indirectChainTakesOneSlotWithTheBufferIdAndATableOfTheWholeChain() {
        PackedVirtqueue q = queue(true, false, false);
        Chain c = request(q);
        assertEquals(7, q.freeDescriptors());
        PackedDescriptor head = q.raw().descriptor(0);
        assertEquals(F_INDIRECT | F_AVAIL, head.flags());
        assertEquals(c.head(), head.id());
        assertEquals(48, head.len());
        assertEquals(new PackedDescriptor(c.readable().get(0).address(), 3, 0, 0), PackedDescriptor.read(mem, head.addr()));
        assertEquals(new PackedDescriptor(c.writable().get(0).address(), 8, 0, F_WRITE),
                PackedDescriptor.read(mem, head.addr() + 16));
        assertEquals(new PackedDescriptor(c.writable().get(1).address(), 4, 0, F_WRITE),
                PackedDescriptor.read(mem, head.addr() + 32));

        deviceUses(q, c.head(), 12, 1);
        assertEquals(12, q.poll().orElseThrow().usedLen());
        Chain next = request(q);                      // lands in slot 1: the indirect chain took one slot
        assertEquals(next.head(), q.raw().descriptor(1).id());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void deviceWritingAPackedIndirectTableIsAFinding() {
        PackedVirtqueue q = queue(true, false, false);
        Chain c = request(q);
        mem.putU16(q.raw().descriptor(0).addr() + 14, F_WRITE | F_NEXT);
        deviceUses(q, c.head(), 12, 1);
        q.poll().orElseThrow();
        assertEquals(List.of(Finding.Kind.INDIRECT_TABLE_WRITTEN), kinds(q));
    }

    @Test
    void deviceEventFlagsDecideWithoutEventIdx() {
        PackedVirtqueue q = queue(false, false, false);
        request(q);
        assertTrue(q.notificationNeeded(), "ENABLE");
        deviceEvent(q, 0, EVENT_DISABLE);
        request(q);
        assertFalse(q.notificationNeeded(), "DISABLE");
        assertTrue(q.findings().isEmpty());
        deviceEvent(q, 0, EVENT_DESC);
        assertTrue(q.notificationNeeded(), "DESC without EVENT_IDX: notify, and report it");
        assertEquals(List.of(Finding.Kind.DEVICE_EVENT_INVALID), kinds(q));
    }

    @Test
    void reservedDeviceEventValueIsAFinding() {
        PackedVirtqueue q = queue(false, true, false);
        deviceEvent(q, 0, 3);
        request(q);
        assertTrue(q.notificationNeeded());
        assertEquals(List.of(Finding.Kind.DEVICE_EVENT_INVALID), kinds(q));
    }

    @Test
    void descModeNotifiesExactlyWhenTheNamedSlotIsMadeAvailable() {
        PackedVirtqueue q = queue(false, true, false);
        deviceEvent(q, offWrap(4, true), EVENT_DESC);
        request(q);                                   // slots 0..2
        assertFalse(q.notificationNeeded());
        request(q);                                   // slots 3..5 include 4
        assertTrue(q.notificationNeeded());
        assertTrue(q.findings().isEmpty());
    }

    @Test
    void descModeCountsAnEventSlotOfThePreviousLap() {
        PackedVirtqueue q = queue(false, true, false);
        for (int i = 0; i < 2; i++) {                 // move to slot 6 of lap 1
            Chain c = request(q);
            deviceUses(q, c.head(), 12, 3);
            q.poll().orElseThrow();
        }
        q.notificationNeeded();
        deviceEvent(q, offWrap(7, true), EVENT_DESC); // slot 7 of lap 1
        request(q);                                   // slots 6, 7, then 0 of lap 0
        assertTrue(q.notificationNeeded());
        deviceEvent(q, offWrap(6, true), EVENT_DESC); // already passed in an earlier batch
        Chain c = q.add(List.of(), List.of(alloc.writable(1)));
        assertFalse(q.notificationNeeded());
        assertEquals(c.head(), q.raw().descriptor(1).id());
    }

    @Test
    void usedNotificationsUseDescModeWithEventIdxAndFlagsOtherwise() {
        PackedVirtqueue plain = queue(false, false, false);
        plain.disableUsedNotifications();
        assertEquals(EVENT_DISABLE << 16, plain.raw().driverEvent());
        plain.enableUsedNotifications();
        assertEquals(EVENT_ENABLE, plain.raw().driverEvent());

        PackedVirtqueue event = queue(false, true, false);
        Chain c = request(event);
        deviceUses(event, c.head(), 12, 3);
        event.poll().orElseThrow();
        event.enableUsedNotifications();
        assertEquals(offWrap(3, true) | EVENT_DESC << 16, event.raw().driverEvent());
        assertTrue(plain.findings().isEmpty() && event.findings().isEmpty());
    }

    @Test
    void inOrderBatchSkipsEverySlotOfTheBatchAndCompletesEarlierBuffersCompletely() {
        PackedVirtqueue q = queue(false, false, true);
        Chain a = request(q);                         // 3 slots
        Chain b = q.add(List.of(), List.of(alloc.writable(16)));  // 1 slot
        Chain c = request(q);                         // 3 slots
        deviceUses(q, c.head(), 5, 7);                // one used descriptor for the batch, at slot 0
        List<Completion> done = List.of(q.poll().orElseThrow(), q.poll().orElseThrow(), q.poll().orElseThrow());
        assertEquals(List.of(a, b, c), done.stream().map(Completion::chain).toList());
        assertEquals(List.of(12L, 16L, 5L), done.stream().map(Completion::usedLen).toList());
        assertEquals(List.of(true, true, false), done.stream().map(Completion::inferred).toList());
        assertEquals(8, q.freeDescriptors());

        Chain d = q.add(List.of(), List.of(alloc.writable(4)));   // slot 7
        deviceUses(q, d.head(), 4, 1);
        assertEquals(d, q.poll().orElseThrow().chain());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void inOrderDeviceCompletingOutOfOrderIsCaught() {
        PackedVirtqueue q = queue(false, false, true);
        Chain a = q.add(List.of(), List.of(alloc.writable(4)));
        Chain b = q.add(List.of(), List.of(alloc.writable(4)));
        deviceUses(q, b.head(), 4, 1);                // b first: a is taken as used with it
        deviceUses(q, a.head(), 4, 1);                // then a, in slot 1, which the batch gave back to the driver
        assertEquals(a, q.poll().orElseThrow().chain());
        assertEquals(b, q.poll().orElseThrow().chain());
        assertTrue(q.poll().isEmpty());
        assertEquals(List.of(Finding.Kind.PACKED_DESCRIPTOR_WRITTEN), kinds(q));
        assertTrue(q.findings().get(0).detail().contains("ring slot 1"), q.findings().toString());
    }
}
