package org.virtiotck.driver.ring.split;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.ring.split.SplitLayout.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.RingFeatures;

/** Indirect tables, event indices and in-order batches on the driver-side split ring, against a scripted device. */
class SplitRingFeaturesTest {
    private final GuestMemory mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 17);
    private final Allocator alloc = new Allocator(mem, mem.base(), mem.size(), 16);

    private SplitVirtqueue queue(boolean indirect, boolean eventIdx, boolean inOrder) {
        return SplitVirtqueue.allocate(alloc, 0, 16, new RingFeatures(indirect, eventIdx, inOrder));
    }

    private Chain request(SplitVirtqueue q) {
        return q.add(List.of(alloc.readable(new byte[] {1, 2, 3})), List.of(alloc.writable(8), alloc.writable(4)));
    }

    /** Writes one used element at position {@code at} and sets used idx to {@code newIdx}. */
    private void deviceUses(SplitVirtqueue q, int at, long id, long len, int newIdx) {
        long elem = q.deviceArea() + 4 + 8L * (at % q.size());
        mem.putU32(elem, id);
        mem.putU32(elem + 4, len);
        mem.putU16Release(q.deviceArea() + 2, newIdx);
    }

    private static List<Finding.Kind> kinds(SplitVirtqueue q) {
        return q.findings().stream().map(Finding::kind).toList();
    }

    @Test
    void indirectChainTakesOneDescriptorPointingAtATableOfTheWholeChain() {
        SplitVirtqueue q = queue(true, false, false);
        Chain c = request(q);
        assertEquals(15, q.freeDescriptors());
        SplitDescriptor head = q.raw().descriptor(c.head());
        assertEquals(F_INDIRECT, head.flags());
        assertEquals(48, head.len());
        SplitDescriptor[] table = new SplitDescriptor[3];
        for (int i = 0; i < 3; i++) {
            table[i] = SplitDescriptor.read(mem, head.addr() + 16L * i);
        }
        assertEquals(new SplitDescriptor(c.readable().get(0).address(), 3, F_NEXT, 1), table[0]);
        assertEquals(new SplitDescriptor(c.writable().get(0).address(), 8, F_NEXT | F_WRITE, 2), table[1]);
        assertEquals(new SplitDescriptor(c.writable().get(1).address(), 4, F_WRITE, 0), table[2]);

        deviceUses(q, 0, c.head(), 12, 1);
        assertEquals(12, q.poll().orElseThrow().usedLen());
        assertEquals(16, q.freeDescriptors());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void singleBufferAndExplicitDirectChainsStayDirect() {
        SplitVirtqueue q = queue(true, false, false);
        q.add(List.of(), List.of(alloc.writable(4)));
        Chain direct = q.add(List.of(alloc.readable(new byte[] {1})), List.of(alloc.writable(4)), false);
        assertEquals(13, q.freeDescriptors());
        assertEquals(F_NEXT, q.raw().descriptor(direct.head()).flags());
    }

    @Test
    void indirectWithoutTheFeatureIsRefused() {
        SplitVirtqueue q = queue(false, false, false);
        assertThrows(IllegalArgumentException.class,
                () -> q.add(List.of(alloc.readable(new byte[] {1})), List.of(alloc.writable(4)), true));
    }

    @Test
    void deviceWritingAnIndirectTableIsAFinding() {
        SplitVirtqueue q = queue(true, false, false);
        Chain c = request(q);
        long table = q.raw().descriptor(c.head()).addr();
        mem.putU32(table + 16 + 8, 4096);           // the device "grows" the writable buffer
        deviceUses(q, 0, c.head(), 12, 1);
        q.poll().orElseThrow();
        assertEquals(List.of(Finding.Kind.INDIRECT_TABLE_WRITTEN), kinds(q));
        assertTrue(q.findings().get(0).detail().contains("len 8 flags 0x3 next 2, now addr"),
                q.findings().get(0).detail());
    }

    @Test
    void withoutEventIdxTheNoNotifyFlagDecides() {
        SplitVirtqueue q = queue(false, false, false);
        request(q);
        assertTrue(q.notificationNeeded());
        mem.putU16(q.deviceArea(), USED_F_NO_NOTIFY);
        request(q);
        assertFalse(q.notificationNeeded());
        assertTrue(q.findings().isEmpty());
    }

    @Test
    void withEventIdxTheDriverNotifiesExactlyWhenAvailIdxPassesAvailEvent() {
        SplitVirtqueue q = queue(false, true, false);
        long availEvent = q.deviceArea() + availEventOffset(16);
        mem.putU16(availEvent, 1);                  // "tell me when entry 1 is written"
        request(q);                                 // avail idx 0 -> 1: entry 0 only
        assertFalse(q.notificationNeeded());
        request(q);
        request(q);                                 // 1 -> 3: entries 1 and 2
        assertTrue(q.notificationNeeded());
        request(q);                                 // 3 -> 4, event still 1: far behind
        assertFalse(q.notificationNeeded());
        mem.putU16(q.deviceArea(), USED_F_NO_NOTIFY);
        mem.putU16(availEvent, 4);
        request(q);                                 // 4 -> 5: the flag is ignored, but it is also a finding
        assertTrue(q.notificationNeeded());
        assertEquals(List.of(Finding.Kind.USED_FLAGS_INVALID), kinds(q));
    }

    @Test
    void usedFlagsOtherThanZeroOrOneAreAFindingReportedOnce() {
        SplitVirtqueue q = queue(false, false, false);
        mem.putU16(q.deviceArea(), 0x8001);
        request(q);
        assertFalse(q.notificationNeeded());
        request(q);
        q.notificationNeeded();
        assertEquals(List.of(Finding.Kind.USED_FLAGS_INVALID), kinds(q));
    }

    @Test
    void usedNotificationsAreDisabledAndEnabledThroughTheFlagOrUsedEvent() {
        SplitVirtqueue plain = queue(false, false, false);
        plain.disableUsedNotifications();
        assertEquals(AVAIL_F_NO_INTERRUPT, plain.raw().availFlags());
        plain.enableUsedNotifications();
        assertEquals(0, plain.raw().availFlags());

        SplitVirtqueue event = queue(false, true, false);
        Chain c = request(event);
        deviceUses(event, 0, c.head(), 12, 1);
        event.poll().orElseThrow();
        event.disableUsedNotifications();
        assertEquals(0, event.raw().availFlags());
        assertEquals(0, event.raw().usedEvent());   // lastUsed 1 - 1: reached only after 2^16 entries
        event.enableUsedNotifications();
        assertEquals(1, event.raw().usedEvent());
        assertTrue(plain.findings().isEmpty() && event.findings().isEmpty());
    }

    @Test
    void driverSeesADeviceWritingUsedEvent() {
        SplitVirtqueue q = queue(false, true, false);
        mem.putU16(q.driverArea() + usedEventOffset(16), 7);
        assertEquals(List.of(Finding.Kind.AVAIL_RING_WRITTEN), kinds(q));
    }

    @Test
    void inOrderUsesDescriptorsInRingOrderAcrossTheWrap() {
        SplitVirtqueue q = queue(false, false, true);
        int expectedHead = 0;
        for (int i = 0; i < 10; i++) {
            Chain c = request(q);
            assertEquals(expectedHead, c.head());
            assertEquals((expectedHead + 1) % 16, q.raw().descriptor(c.head()).next());
            deviceUses(q, i, c.head(), 12, i + 1);
            q.poll().orElseThrow();
            expectedHead = (expectedHead + 3) % 16;
        }
        assertTrue(q.findings().isEmpty());
    }

    @Test
    void inOrderBatchCompletesEveryEarlierBufferCompletely() {
        SplitVirtqueue q = queue(false, false, true);
        Chain a = request(q);
        Chain b = q.add(List.of(), List.of(alloc.writable(16)));
        Chain c = request(q);
        deviceUses(q, 0, c.head(), 5, 3);           // one entry for the batch a, b, c; idx moves by 3
        Completion first = q.poll().orElseThrow();
        Completion second = q.poll().orElseThrow();
        Completion third = q.poll().orElseThrow();
        assertEquals(List.of(a, b, c), List.of(first.chain(), second.chain(), third.chain()));
        assertEquals(List.of(12L, 16L, 5L), List.of(first.usedLen(), second.usedLen(), third.usedLen()));
        assertTrue(first.inferred() && second.inferred() && !third.inferred());
        assertTrue(q.poll().isEmpty());
        assertEquals(16, q.freeDescriptors());
        assertTrue(q.findings().isEmpty(), q.findings().toString());

        Chain d = request(q);                       // the next entry goes at position 3
        deviceUses(q, 3, d.head(), 12, 4);
        assertEquals(d, q.poll().orElseThrow().chain());
    }

    @Test
    void inOrderBatchLargerThanTheUsedIdxMoveIsAFinding() {
        SplitVirtqueue q = queue(false, false, true);
        request(q);
        request(q);
        Chain c = request(q);
        deviceUses(q, 0, c.head(), 12, 1);          // claims three buffers, moves idx by one
        for (int i = 0; i < 3; i++) {
            q.poll().orElseThrow();
        }
        assertEquals(List.of(Finding.Kind.IN_ORDER_VIOLATED), kinds(q));
        assertTrue(q.findings().get(0).detail().contains("completes the 3 oldest buffers"), q.findings().toString());
    }

    @Test
    void inOrderDeviceCompletingOutOfOrderIsCaught() {
        SplitVirtqueue q = queue(false, false, true);
        Chain a = request(q);
        Chain b = request(q);
        deviceUses(q, 0, b.head(), 12, 1);          // b first, one entry: a is taken as used with it
        assertEquals(a, q.poll().orElseThrow().chain());
        assertEquals(b, q.poll().orElseThrow().chain());
        deviceUses(q, 1, a.head(), 12, 2);          // then a on its own
        assertTrue(q.poll().isEmpty());
        assertEquals(List.of(Finding.Kind.IN_ORDER_VIOLATED, Finding.Kind.USED_IDX_JUMP,
                Finding.Kind.USED_ID_COMPLETED_TWICE), kinds(q));
    }
}
