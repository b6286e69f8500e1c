package org.virtiotck.driver.ring.packed;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;

/** The driver-side packed ring against a scripted device that writes used descriptors by hand. */
class PackedVirtqueueTest {
    private GuestMemory mem;
    private Allocator alloc;
    private PackedVirtqueue q;
    private ScriptedDevice device;

    @BeforeEach
    void setUp() {
        mem = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 16);
        alloc = new Allocator(mem, mem.base(), mem.size(), 16);
        q = PackedVirtqueue.allocate(alloc, 0, 8);
        device = new ScriptedDevice(q);
    }

    /** The device's side: keeps its own used position and wrap counter and writes used descriptors. */
    private final class ScriptedDevice {
        final PackedVirtqueue queue;
        int nextUsed;
        boolean wrap = true;

        ScriptedDevice(PackedVirtqueue queue) {
            this.queue = queue;
        }

        /** Marks buffer {@code id} used at the next used slot, then skips the chain's other descriptors. */
        void uses(int id, long len, int descriptors) {
            write(nextUsed, id, len, usedBits(wrap) | (len > 0 ? F_WRITE : 0));
            skip(descriptors);
        }

        void skip(int descriptors) {
            nextUsed += descriptors;
            if (nextUsed >= queue.size()) {
                nextUsed -= queue.size();
                wrap = !wrap;
            }
        }

        /** Writes id and len, then the flags with a release store, as a device publishes a used descriptor. */
        void write(int slot, int id, long len, int flags) {
            long d = queue.descriptorArea() + 16L * slot;
            mem.putU32(d + 8, len);
            mem.putU16(d + 12, id);
            mem.putU16Release(d + 14, flags);
        }
    }

    private long slot(int s) {
        return q.descriptorArea() + 16L * s;
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
    void chainIsLaidOutInRingOrderWithTheIdInEveryDescriptor() {
        Buffer r = alloc.readable(new byte[] {1, 2, 3});
        Buffer w1 = alloc.writable(4);
        Buffer w2 = alloc.writable(9);
        Chain c = q.add(List.of(r), List.of(w1, w2));
        assertEquals(F_NEXT | F_AVAIL, mem.u16(slot(0) + 14));
        assertEquals(F_NEXT | F_WRITE | F_AVAIL, mem.u16(slot(1) + 14));
        assertEquals(F_WRITE | F_AVAIL, mem.u16(slot(2) + 14));
        for (int s = 0; s < 3; s++) {
            assertEquals(c.head(), mem.u16(slot(s) + 12), "id in slot " + s);
        }
        assertEquals(r.address(), mem.u64(slot(0)));
        assertEquals(9, mem.u32(slot(2) + 8));
        assertEquals(0, mem.u16(slot(3) + 14), "nothing beyond the chain");
        assertEquals(5, q.freeDescriptors());
        assertEquals(0, mem.u32(q.driverArea()), "notifications stay enabled");
    }

    @Test
    void descriptorsAfterTheWrapCarryTheFlippedWrapBits() {
        for (int i = 0; i < 2; i++) {
            Chain c = q.add(List.of(), List.of(alloc.writable(1), alloc.writable(1), alloc.writable(1)));
            device.uses(c.head(), 1, 3);
            q.poll().orElseThrow();
        }
        q.add(List.of(), List.of(alloc.writable(1), alloc.writable(1), alloc.writable(1)));
        // Slots 6 and 7 belong to the lap with wrap counter 1, slot 0 to the next lap (wrap 0: USED set).
        assertEquals(F_NEXT | F_WRITE | F_AVAIL, mem.u16(slot(6) + 14));
        assertEquals(F_NEXT | F_WRITE | F_AVAIL, mem.u16(slot(7) + 14));
        assertEquals(F_WRITE | F_USED, mem.u16(slot(0) + 14));
    }

    @Test
    void validCompletionIsReturnedOnceAndDescriptorsFreed() {
        Chain c = addRequest();
        assertTrue(q.poll().isEmpty(), "the available descriptor is not used yet");
        device.uses(c.head(), 4, 2);
        Completion done = q.poll().orElseThrow();
        assertEquals(c, done.chain());
        assertEquals(4, done.usedLen());
        assertTrue(q.poll().isEmpty());
        assertEquals(8, q.freeDescriptors());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void outOfOrderCompletionsSkipByTheCompletedChainsLength() {
        Chain a = q.add(List.of(), List.of(alloc.writable(1)));
        Chain b = q.add(List.of(alloc.readable(new byte[] {1})), List.of(alloc.writable(2), alloc.writable(2)));
        Chain c = q.add(List.of(), List.of(alloc.writable(8)));
        device.uses(b.head(), 3, 3);
        device.uses(c.head(), 8, 1);
        device.uses(a.head(), 1, 1);
        assertEquals(b, q.poll().orElseThrow().chain());
        assertEquals(c, q.poll().orElseThrow().chain());
        assertEquals(a, q.poll().orElseThrow().chain());
        assertTrue(q.poll().isEmpty());
        assertEquals(8, q.freeDescriptors());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void threeDescriptorChainsWrapTheRingManyTimes(int size) {
        q = PackedVirtqueue.allocate(alloc, 1, size);
        device = new ScriptedDevice(q);
        Buffer r = new Buffer(mem.base(), 16, false);
        Buffer w = new Buffer(mem.base() + 64, 8, true);
        Random random = new Random(size);
        List<Chain> pending = new ArrayList<>();
        int submitted = 0;
        int completed = 0;
        while (completed < 70_000) {
            while (submitted < 70_000 && q.freeDescriptors() >= 3) {
                pending.add(q.add(List.of(r), List.of(w, w)));
                submitted++;
            }
            // Complete the in-flight chains in a random order.
            while (!pending.isEmpty()) {
                Chain c = pending.remove(random.nextInt(pending.size()));
                device.uses(c.head(), 5, 3);
                Completion done = q.poll().orElseThrow();
                assertEquals(c, done.chain());
                assertEquals(5, done.usedLen());
                completed++;
            }
        }
        assertTrue(q.poll().isEmpty());
        assertEquals(size, q.freeDescriptors());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void sizesNeedNotBePowersOfTwo() {
        PackedVirtqueue seven = PackedVirtqueue.allocate(alloc, 1, 7);
        assertEquals(7, seven.size());
        assertEquals(0, seven.descriptorArea() % 16);
        assertEquals(0, seven.driverArea() % 4);
        assertEquals(0, seven.deviceArea() % 4);
        assertThrows(IllegalArgumentException.class, () -> PackedVirtqueue.allocate(alloc, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PackedVirtqueue.allocate(alloc, 1, 32769));
    }

    @Test
    void usedIdNeverMadeAvailableAbandonsTheQueue() {
        addRequest();
        device.uses(5, 0, 1);
        assertTrue(q.poll().isEmpty());
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_ID_NOT_AVAILABLE, onlyFinding());
        assertTrue(q.abandoned());
        assertTrue(q.findings().get(0).detail().contains("id 5 flags"), q.findings().toString());
    }

    @Test
    void usedIdOutOfRangeIsAFinding() {
        addRequest();
        device.uses(0xbeef, 0, 1);
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_ID_NOT_AVAILABLE, onlyFinding());
        assertTrue(q.findings().get(0).detail().contains("48879"), q.findings().toString());
    }

    @Test
    void idCompletedTwiceIsAFinding() {
        Chain c = q.add(List.of(), List.of(alloc.writable(1)));
        q.add(List.of(), List.of(alloc.writable(1)));
        device.uses(c.head(), 1, 1);
        device.uses(c.head(), 1, 1);
        assertTrue(q.poll().isPresent());
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.USED_ID_COMPLETED_TWICE, onlyFinding());
    }

    @Test
    void usedLenAboveWritableBytesIsAFindingButStillCompletes() {
        Chain c = addRequest();
        device.uses(c.head(), 5, 2);
        assertEquals(5, q.poll().orElseThrow().usedLen());
        assertEquals(Finding.Kind.USED_LEN_TOO_LARGE, onlyFinding());
    }

    @Test
    void lenWithoutTheWriteFlagIsIgnored() {
        Chain c = addRequest();
        device.write(0, c.head(), 999, usedBits(true));
        assertEquals(0, q.poll().orElseThrow().usedLen());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void aDeviceThatNeverFlipsItsWrapCounterIsCaughtAfterTheWrap() {
        for (int i = 0; i < 4; i++) {
            Chain c = q.add(List.of(), List.of(alloc.writable(1), alloc.writable(1)));
            device.uses(c.head(), 1, 2);
            q.poll().orElseThrow();
        }
        Chain c = addRequest();
        device.write(0, c.head(), 4, usedBits(true) | F_WRITE);   // still wrap 1 where 0 is due
        assertTrue(q.poll().isEmpty());
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.PACKED_BAD_WRAP, onlyFinding());
        assertTrue(q.abandoned());
    }

    @Test
    void usedBitWithoutAvailBitIsABadWrap() {
        Chain c = addRequest();
        device.write(0, c.head(), 4, F_USED | F_WRITE);
        assertTrue(q.poll().isEmpty());
        assertEquals(Finding.Kind.PACKED_BAD_WRAP, onlyFinding());
        assertTrue(q.findings().get(0).detail().contains("flags 0x8002"), q.findings().toString());
    }

    @Test
    void abandonedQueueNeverCompletesAndMeetsTheDeadline() {
        Chain c = addRequest();
        device.write(0, c.head(), 4, F_USED | F_WRITE);
        assertThrows(DeviceTimeoutException.class, () -> q.await(Deadline.after(Duration.ofMillis(50))));
        assertEquals(1, q.findings().size());
    }

    @Test
    void aDeviceThatNeverCompletesMeetsTheDeadline() {
        addRequest();
        assertThrows(DeviceTimeoutException.class, () -> q.await(Deadline.after(Duration.ofMillis(50))));
        assertTrue(q.findings().isEmpty());
    }

    @Test
    void fullRingRefusesMoreChains() {
        for (int i = 0; i < 4; i++) {
            addRequest();
        }
        assertEquals(0, q.freeDescriptors());
        assertThrows(IllegalStateException.class, () -> q.add(List.of(), List.of(alloc.writable(1))));
    }

    @Test
    void chainLongerThanTheRingIsRefused() {
        List<Buffer> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(alloc.writable(1));
        }
        assertThrows(IllegalArgumentException.class, () -> q.add(List.of(), nine));
        assertThrows(IllegalArgumentException.class, () -> q.add(List.of(), List.of()));
    }

    @Test
    void chainAsLongAsTheRingFits() {
        List<Buffer> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(alloc.writable(1));
        }
        Chain c = q.add(List.of(), eight);
        device.uses(c.head(), 8, 8);
        assertEquals(8, q.poll().orElseThrow().usedLen());
        Chain next = addRequest();
        assertEquals(F_NEXT | F_USED, mem.u16(slot(0) + 14), "second lap: wrap counter 0");
        device.uses(next.head(), 4, 2);
        assertEquals(next, q.poll().orElseThrow().chain());
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }

    @Test
    void deviceChangingASkippedDescriptorIsCaughtWhenTheSlotIsReused() {
        Chain c = addRequest();
        device.uses(c.head(), 4, 2);
        q.poll().orElseThrow();
        mem.putU32(slot(1) + 8, 1234);           // the chain's second descriptor, which the device skipped
        assertEquals(Finding.Kind.PACKED_DESCRIPTOR_WRITTEN, onlyFinding());
        for (int i = 0; i < 3; i++) {
            Chain d = addRequest();
            device.uses(d.head(), 0, 2);
            q.poll().orElseThrow();
        }
        addRequest();                             // reuses slots 0 and 1
        assertEquals(Finding.Kind.PACKED_DESCRIPTOR_WRITTEN, onlyFinding());
        assertTrue(q.findings().get(0).detail().contains("before reuse"), q.findings().toString());
    }

    @Test
    void deviceRewritingAUsedDescriptorAfterMarkingItIsAFinding() {
        Chain c = addRequest();
        device.uses(c.head(), 4, 2);
        q.poll().orElseThrow();
        mem.putU32(slot(0) + 8, 3);
        assertEquals(Finding.Kind.PACKED_DESCRIPTOR_WRITTEN, onlyFinding());
    }

    @Test
    void usedDescriptorInASlotNeverMadeAvailableIsAFinding() {
        device.write(0, 0, 0, usedBits(true));
        assertTrue(q.poll().isEmpty(), "nothing in flight, nothing to complete");
        assertEquals(Finding.Kind.PACKED_DESCRIPTOR_WRITTEN, onlyFinding());
    }

    @Test
    void deviceWritingTheDriverEventAreaIsAFinding() {
        addRequest();
        mem.putU16(q.driverArea() + 2, EVENT_DISABLE);
        assertEquals(Finding.Kind.DRIVER_EVENT_WRITTEN, onlyFinding());
    }

    @Test
    void deviceEventAreaIsTheDevicesToWrite() {
        addRequest();
        mem.putU16(q.deviceArea() + 2, EVENT_DISABLE);
        assertTrue(q.findings().isEmpty(), q.findings().toString());
    }
}
