package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.virtiotck.driver.ring.RingFeatures;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;

/**
 * The ring features end to end: negotiated over virtio-mmio, passed by the device core into the queue, and used
 * by the reference blk device with a hand-built split ring.
 */
class BlkDeviceRingFeaturesTest {

    /** A FLUSH request (header + status byte); returns the head descriptor index. */
    private static int flush(TestDriver d) {
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_FLUSH);
        return d.ring.submit(Buf.readable(hdr, 16), Buf.writable(d.alloc(1), 1));
    }

    /** A one-sector read; past the capacity it fails with used len 0, less than its writable bytes. */
    private static int read(TestDriver d, long sector) {
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_IN);
        d.mem.putU64(hdr + 8, sector);
        return d.ring.submit(Buf.readable(hdr, 16), Buf.writable(d.alloc(512), 512), Buf.writable(d.alloc(1), 1));
    }

    @Test
    void requestInAnIndirectTableIsServedAndTakesOneDescriptor() {
        BlkDevice blk = new BlkDevice(8, "x", false);
        blk.image()[512] = 0x5a;
        TestDriver d = new TestDriver(blk).start();
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_IN);
        d.mem.putU64(hdr + 8, 1);
        long in = d.alloc(513);
        long table = d.alloc(48);
        long len = TestRing.table(d.mem, table, Buf.readable(hdr, 16), Buf.writable(in, 500), Buf.writable(in + 500, 13));
        d.ring.descriptor(5, table, len, TestRing.F_INDIRECT, 0);
        d.ring.publish(5);
        d.notifyQueue();
        assertEquals(1, d.ring.usedIdx());
        assertEquals(5, d.ring.usedId(0));
        assertEquals(513, d.ring.usedLen(0));
        assertEquals(0x5a, d.mem.u8(in));
        assertEquals(BlkRequest.S_OK, d.mem.u8(in + 512));
    }

    @Test
    void indirectTableWithoutTheFeatureNeedsReset() {
        BlkDevice blk = new BlkDevice(8, "x", false);
        TestDriver d = new TestDriver(blk).start(blk.offeredFeatures().without(Feature.INDIRECT_DESC));
        long hdr = d.alloc(16);
        long table = d.alloc(32);
        long len = TestRing.table(d.mem, table, Buf.readable(hdr, 16), Buf.writable(d.alloc(1), 1));
        d.ring.descriptor(0, table, len, TestRing.F_INDIRECT, 0);
        d.ring.publish(0);
        d.notifyQueue();
        assertNotEquals(0, d.status() & DeviceStatus.DEVICE_NEEDS_RESET);
        assertTrue(d.mmio.needsResetReason().orElseThrow().contains("not negotiated"));
    }

    @Test
    void eventIdxIgnoresNoInterruptAndHonoursUsedEvent() {
        TestDriver d = new TestDriver(new BlkDevice(8, "x", false)).start();
        d.ring.setAvailFlags(1);
        flush(d);
        d.notifyQueue();
        assertEquals(MmioRegister.INT_USED_BUFFER, d.interruptStatus(), "used_event 0 and the flag ignored");
        d.reg(MmioRegister.INTERRUPT_ACK, MmioRegister.INT_USED_BUFFER);

        flush(d);
        d.notifyQueue();
        assertEquals(0, d.interruptStatus(), "used_event still 0: idx 1 -> 2 does not pass it");

        d.ring.setUsedEvent(2);
        flush(d);
        d.notifyQueue();
        assertEquals(MmioRegister.INT_USED_BUFFER, d.interruptStatus());
        assertEquals(3, d.ring.availEvent(), "after draining, the device asks for a kick at entry 3");
    }

    @Test
    void inOrderBatchingReturnsOneEntryPerRunOfCompleteRequests() {
        BlkDevice blk = new BlkDevice(8, "x", false, true);
        TestDriver d = new TestDriver(blk).start();
        flush(d);
        int failing = read(d, 8);                         // past the capacity: len 0, ends the first batch
        flush(d);
        int last = flush(d);
        d.notifyQueue();
        assertEquals(4, d.ring.usedIdx());
        assertEquals(failing, d.ring.usedId(0));
        assertEquals(0, d.ring.usedLen(0), "the short request closes its batch and reports its own len");
        assertEquals(last, d.ring.usedId(2), "second batch: its entry where its first request was made available");
        assertEquals(1, d.ring.usedLen(2));
        assertEquals(0, d.ring.usedId(1), "skipped entries stay as the driver left them");
        assertEquals(0, d.ring.usedId(3));
        assertEquals(MmioRegister.INT_USED_BUFFER, d.interruptStatus());
    }

    @Test
    void inOrderBatchingNeedsTheFeatureNegotiated() {
        BlkDevice blk = new BlkDevice(8, "x", false, true);
        TestDriver d = new TestDriver(blk).start(blk.offeredFeatures().without(Feature.IN_ORDER));
        int first = flush(d);
        int second = flush(d);
        d.notifyQueue();
        assertEquals(2, d.ring.usedIdx());
        assertEquals(first, d.ring.usedId(0));
        assertEquals(second, d.ring.usedId(1));
    }

    @Test
    void withoutOptingInEveryRequestGetsItsOwnEntryEvenUnderInOrder() {
        TestDriver d = new TestDriver(new BlkDevice(8, "x", false)).start();
        assertTrue(FeatureSet.of(Feature.IN_ORDER).minus(d.mmio.device().offeredFeatures()).isEmpty());
        int first = flush(d);
        int second = flush(d);
        d.notifyQueue();
        assertEquals(2, d.ring.usedIdx());
        assertEquals(first, d.ring.usedId(0));
        assertEquals(second, d.ring.usedId(1));
    }
}
