package org.virtiotck.driver.ring.split;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;

/** The driver-side split ring against a scripted device that writes the used ring by hand. */
class SplitVirtqueueTest {
    private GuestMemory mem;
    private Allocator alloc;
    private SplitVirtqueue q;

    @BeforeEach
    void setUp() {
        mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 16);
        alloc = new Allocator(mem, mem.base(), mem.size(), 16);
        q = SplitVirtqueue.allocate(alloc, 0, 8);
    }

    /** The device's side: publish one used element and bump used idx. */
    private void deviceUses(int id, long len) {
        int idx = mem.u16(q.deviceArea() + 2);
        long elem = q.deviceArea() + 4 + 8L * (idx % q.size());
        mem.putU32(elem, id);
        mem.putU32(elem + 4, len);
        mem.putU16Release(q.deviceArea() + 2, idx + 1);
    }

    private Chain addRequest() {
        return q.add(List.of(alloc.readable(new byte[] {1, 2, 3})), List.of(alloc.writable(4)));
    }

    private Finding.Kind onlyFinding() {
        List<Finding> f = q.findings();
        assertEquals(1, f.size(), f.toString());
        return f.get(0).kind();
    }

    @Test
    void chainIsLaidOutReadableThenWritableAndPublished() {
        Chain c = addRequest();
        long d0 = q.descriptorArea() + 16L * c.head();
        assertEquals(SplitLayout.F_NEXT, mem.u16(d0 + 12));
        int next = mem.u16(d0 + 14);
        long d1 = q.descriptorArea() + 16L * next;
        assertEquals(SplitLayout.F_WRITE, mem.u16(d1 + 12));
        assertEquals(4, mem.u32(d1 + 8));
        assertEquals(1, mem.u16(q.driverArea() + 2));
        assertEquals(c.head(), mem.u16(q.driverArea() + 4));
    }

    @Test
    void validCompletionIsReturnedOnceAndDescriptorsFreed() {
        Chain c = addRequest();
        assertEquals(6, q.freeDescriptors());
        deviceUses(c.head(), 4);
        Completion done = q.poll().orElseThrow();
        assertEquals(c, done.chain());
        assertEquals(4, done.usedLen());
        assertTrue(q.poll().isEmpty());
        assertEquals(8, q.freeDescriptors());
        assertTrue(q.findings().isEmpty());
    }

    @Test
    void usedIdNeverMadeAvailableIsAFinding() {
        addRequest();
        deviceUses(7, 0);
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_ID_NOT_AVAILABLE, onlyFinding());
    }

    @Test
    void usedIdOutOfRangeIsAFinding() {
        addRequest();
        deviceUses(0xdeadbeef, 0);
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_ID_NOT_AVAILABLE, onlyFinding());
        assertTrue(q.findings().get(0).detail().contains("3735928559"), q.findings().toString());
    }

    @Test
    void idCompletedTwiceIsAFinding() {
        Chain c = addRequest();
        deviceUses(c.head(), 1);
        deviceUses(c.head(), 1);
        assertTrue(q.poll().isPresent());
        assertTrue(q.poll().isEmpty());
        assertTrue(q.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.USED_ID_COMPLETED_TWICE));
    }

    @Test
    void usedLenAboveWritableBytesIsAFindingButStillCompletes() {
        Chain c = addRequest();
        deviceUses(c.head(), 5);
        assertEquals(5, q.poll().orElseThrow().usedLen());
        assertEquals(Finding.Kind.USED_LEN_TOO_LARGE, onlyFinding());
    }

    @Test
    void usedIdxJumpingPastTheRingAbandonsTheQueueWithoutLooping() {
        addRequest();
        mem.putU16Release(q.deviceArea() + 2, 40000);
        assertTrue(q.poll().isEmpty());
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_IDX_JUMP, onlyFinding());
    }

    @Test
    void usedIdxMovingBackwardsIsAJump() {
        Chain c = addRequest();
        deviceUses(c.head(), 1);
        q.poll().orElseThrow();
        mem.putU16Release(q.deviceArea() + 2, 0);
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_IDX_JUMP, onlyFinding());
    }

    @Test
    void deviceWritingTheDescriptorTableIsAFinding() {
        Chain c = addRequest();
        mem.putU32(q.descriptorArea() + 16L * c.head() + 8, 999);
        deviceUses(c.head(), 0);
        q.poll().orElseThrow();
        assertEquals(Finding.Kind.DESCRIPTOR_TABLE_WRITTEN, onlyFinding());
    }

    @Test
    void deviceWritingAvailIdxIsAFinding() {
        addRequest();
        mem.putU16(q.driverArea() + 2, 5);
        assertEquals(Finding.Kind.AVAIL_RING_WRITTEN, onlyFinding());
    }

    @Test
    void aDeviceThatNeverCompletesMeetsTheDeadline() {
        addRequest();
        assertThrows(DeviceTimeoutException.class, () -> q.await(Deadline.after(Duration.ofMillis(50))));
    }

    @Test
    void fullQueueRefusesMoreChains() {
        for (int i = 0; i < 4; i++) {
            addRequest();
        }
        assertThrows(IllegalStateException.class, this::addRequest);
    }

    @Test
    void ringIndicesWrapAround16Bits() {
        for (int i = 0; i < 70_000; i++) {
            Chain c = q.add(List.of(), List.of(new Buffer(alloc.memory().base(), 1, true)));
            deviceUses(c.head(), 1);
            assertEquals(c, q.poll().orElseThrow().chain());
        }
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void sizesThatAreNotPowersOfTwoAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SplitVirtqueue.allocate(alloc, 1, 6));
        assertThrows(IllegalArgumentException.class, () -> SplitVirtqueue.allocate(alloc, 1, 0));
    }
}
