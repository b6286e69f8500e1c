package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.*;
import static org.virtiotck.driver.ring.packed.PackedLayout.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.ByteBufferGuestMemory;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.packed.PackedVirtqueue;

class PackedDeviceQueueTest {
    private static final long BASE = 0x8000;
    private static final int SIZE = 4;

    private final GuestMemory mem = ByteBufferGuestMemory.allocate(BASE, 0x4000);
    private final TestPackedRing ring = new TestPackedRing(mem, BASE, SIZE);
    private final PackedDeviceQueue queue = new PackedDeviceQueue(mem, SIZE, ring.desc, ring.driverEvent,
            ring.deviceEvent);
    private final long data = BASE + 0x1000;

    @Test
    void popReturnsNothingUntilTheHeadIsMadeAvailable() {
        assertTrue(queue.pop().isEmpty(), "a zeroed ring holds nothing available");
        ring.descriptor(0, data, 8, 3, 0);
        assertTrue(queue.pop().isEmpty());
        ring.descriptor(0, data, 8, 3, F_AVAIL | F_USED);
        assertTrue(queue.pop().isEmpty(), "AVAIL equal to USED is not available");
        ring.descriptor(0, data, 8, 3, F_AVAIL);
        assertEquals(3, queue.pop().orElseThrow().head());
    }

    @Test
    void popWalksTheChainAndPushWritesOneUsedDescriptor() {
        ring.submit(9, Buf.readable(data, 16), Buf.writable(data + 16, 100), Buf.writable(data + 200, 1));
        DescriptorChain chain = queue.pop().orElseThrow();
        assertEquals(9, chain.head());
        assertEquals(3, chain.descriptorCount());
        assertEquals(List.of(new Segment(data, 16, false), new Segment(data + 16, 100, true),
                new Segment(data + 200, 1, true)), chain.segments());
        assertEquals(16, chain.readableLength());
        assertEquals(101, chain.writableLength());
        assertTrue(queue.pop().isEmpty());
        assertEquals(3, queue.nextAvail());

        queue.push(chain, 42);
        assertEquals(F_AVAIL | F_USED | F_WRITE, ring.flags(0));
        assertEquals(9, ring.id(0));
        assertEquals(42, ring.len(0));
        assertEquals(F_NEXT | F_WRITE | F_AVAIL, ring.flags(1), "skipped descriptors are left alone");
        assertEquals(3, queue.nextUsed());
        assertEquals(1, queue.usedIdx());
    }

    @Test
    void usedDescriptorWithNothingWrittenHasNoWriteFlag() {
        ring.submit(1, Buf.readable(data, 16));
        queue.push(queue.pop().orElseThrow(), 0);
        assertEquals(F_AVAIL | F_USED, ring.flags(0));
    }

    @Test
    void bufferIdComesFromTheLastDescriptor() {
        ring.descriptor(1, data, 4, 7, F_NEXT | F_AVAIL);
        ring.descriptor(2, data, 4, 5, F_WRITE | F_AVAIL);
        ring.descriptor(0, data, 4, 6, F_NEXT | F_AVAIL);
        assertEquals(5, queue.pop().orElseThrow().head());
    }

    @Test
    void chainsStraddleTheWrapAndTheUsedWrapCounterFlips() {
        ring.submit(0, Buf.writable(data, 1), Buf.writable(data, 1), Buf.writable(data, 1));
        queue.push(queue.pop().orElseThrow(), 1);
        ring.submit(1, Buf.readable(data, 1), Buf.writable(data, 1), Buf.writable(data, 1));  // slots 3, 0, 1
        DescriptorChain c = queue.pop().orElseThrow();
        assertEquals(3, c.descriptorCount());
        assertEquals(2, queue.nextAvail());
        assertFalse(queue.availWrapCounter());
        queue.push(c, 2);
        assertEquals(F_AVAIL | F_USED | F_WRITE, ring.flags(3), "still the first lap");
        assertEquals(2, queue.nextUsed());
        assertFalse(queue.usedWrapCounter());
        ring.submit(2, Buf.writable(data, 1));
        queue.push(queue.pop().orElseThrow(), 1);
        assertEquals(F_WRITE, ring.flags(2), "second lap: AVAIL and USED both 0");
    }

    @Test
    void indicesWrapManyTimesOnARingOfSeven() {
        TestPackedRing seven = new TestPackedRing(mem, BASE + 0x2000, 7);
        PackedDeviceQueue q = new PackedDeviceQueue(mem, 7, seven.desc, seven.driverEvent, seven.deviceEvent);
        for (int i = 0; i < 70_000; i++) {
            seven.submit(i & 0xffff, Buf.readable(data, 1), Buf.writable(data, 1), Buf.writable(data, 1));
            DescriptorChain c = q.pop().orElseThrow();
            assertEquals(i & 0xffff, c.head());
            q.push(c, 2);
            assertTrue(isUsed(seven.flags((i * 3) % 7), (i * 3 / 7) % 2 == 0));
        }
        assertEquals(70_000 & 0xffff, q.usedIdx());
        assertEquals(70_000 * 3 % 7, q.nextAvail());
        assertEquals(70_000 * 3 % 7, q.nextUsed());
        assertTrue(q.pop().isEmpty());
    }

    @Test
    void outOfOrderReturnsFillUsedSlotsInCompletionOrder() {
        ring.submit(10, Buf.writable(data, 1));
        ring.submit(11, Buf.readable(data, 1), Buf.writable(data, 1));
        DescriptorChain a = queue.pop().orElseThrow();
        DescriptorChain b = queue.pop().orElseThrow();
        queue.push(b, 1);
        queue.push(a, 1);
        assertEquals(11, ring.id(0));
        assertEquals(10, ring.id(2));
        assertTrue(isUsed(ring.flags(2), true));
        assertEquals(3, queue.nextUsed());
    }

    @Test
    void descriptorFromThePreviousLapIsNotAvailable() {
        for (int i = 0; i < SIZE; i++) {
            ring.submit(i, Buf.writable(data, 1));
            queue.push(queue.pop().orElseThrow(), 1);
        }
        ring.descriptor(0, data, 4, 0, F_AVAIL);   // the first lap's bits; the driver wrap counter is now 0
        assertTrue(queue.pop().isEmpty());
        ring.descriptor(0, data, 4, 0, F_USED);
        assertEquals(0, queue.pop().orElseThrow().head());
    }

    @Test
    void headMadeAvailableBeforeItsTailIsMalformed() {
        ring.descriptor(1, data, 4, 0, F_WRITE);              // tail still shows the zeroed, unavailable state
        ring.descriptor(0, data, 4, 0, F_NEXT | F_AVAIL);
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("not marked available"), e.getMessage());
        assertEquals(0, queue.nextAvail(), "state unchanged");
    }

    @Test
    void readableAfterWritableIsMalformed() {
        ring.submit(0, Buf.writable(data, 8), Buf.readable(data + 8, 8));
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("readable after"), e.getMessage());
    }

    @Test
    void bufferOutsideGuestMemoryIsMalformed() {
        ring.submit(0, Buf.readable(BASE + 0x3ff0, 0x20));
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("0xbff0"), e.getMessage());
    }

    @Test
    void indirectDescriptorIsMalformedWithoutIndirectDesc() {
        ring.descriptor(0, data, 16, 0, F_INDIRECT | F_AVAIL);
        assertThrows(MalformedChainException.class, queue::pop);
    }

    @Test
    void chainLongerThanTheRingIsMalformed() {
        for (int s = 1; s < SIZE; s++) {
            ring.descriptor(s, data, 1, 0, F_NEXT | F_AVAIL);
        }
        ring.descriptor(0, data, 1, 0, F_NEXT | F_AVAIL);
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("more than 4"), e.getMessage());
    }

    @Test
    void chainAsLongAsTheRingIsFine() {
        ring.submit(0, Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1));
        DescriptorChain c = queue.pop().orElseThrow();
        assertEquals(4, c.segments().size());
        assertEquals(0, queue.nextAvail());
        assertFalse(queue.availWrapCounter());
    }

    @Test
    void chainRunningIntoSlotsTheDeviceHoldsIsMalformed() {
        ring.submit(0, Buf.writable(data, 1), Buf.writable(data, 1));
        queue.pop().orElseThrow();                             // slots 0 and 1 held, not returned
        // A driver that reuses slots 0 and 1 for the second half of a 4-descriptor chain.
        ring.submit(1, Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1), Buf.readable(data, 1));
        MalformedChainException e = assertThrows(MalformedChainException.class, queue::pop);
        assertTrue(e.getMessage().contains("not returned"), e.getMessage());
    }

    @Test
    void pushOfAChainNotTakenIsRefused() {
        DescriptorChain stray = new DescriptorChain(0, List.of(new Segment(data, 1, true)));
        assertThrows(IllegalArgumentException.class, () -> queue.push(stray, 0));
        ring.submit(0, Buf.writable(data, 1));
        DescriptorChain c = queue.pop().orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> queue.push(c, 1L << 32));
        queue.push(c, 1);
        assertThrows(IllegalArgumentException.class, () -> queue.push(c, 1), "returned twice");
    }

    @Test
    void usedNotificationsAreSuppressedOnlyByDisable() {
        assertFalse(queue.takeUsedNotification(), "nothing pushed yet");
        int id = 0;
        for (int flags : new int[] {EVENT_ENABLE, EVENT_DISABLE, EVENT_DESC, 3}) {
            mem.putU16(ring.driverEvent + 2, flags);
            ring.submit(id, Buf.writable(data, 1));
            queue.push(queue.pop().orElseThrow(), 1);
            assertEquals(flags != EVENT_DISABLE, queue.takeUsedNotification(),
                    "flags " + flags + ": DESC needs EVENT_IDX, which was not negotiated; 3 is reserved");
            assertFalse(queue.takeUsedNotification(), "nothing pushed since");
            id++;
        }
        mem.putU16(ring.driverEvent + 2, EVENT_ENABLE);
        mem.putU16(ring.driverEvent, 0xffff);
        ring.submit(id, Buf.writable(data, 1));
        queue.push(queue.pop().orElseThrow(), 1);
        assertTrue(queue.takeUsedNotification(), "off_wrap alone changes nothing");
    }

    @Test
    void layoutProblemsAreNamed() {
        long d = ring.desc;
        long drv = ring.driverEvent;
        long dev = ring.deviceEvent;
        assertFalse(PackedDeviceQueue.layoutProblem(mem, SIZE, d, drv, dev).isPresent());
        assertFalse(PackedDeviceQueue.layoutProblem(mem, 7, d, drv + 0x100, dev + 0x100).isPresent(),
                "sizes need not be powers of two");
        assertTrue(PackedDeviceQueue.layoutProblem(mem, 0, d, drv, dev).isPresent());
        assertTrue(PackedDeviceQueue.layoutProblem(mem, 32769, d, drv, dev).isPresent());
        assertTrue(PackedDeviceQueue.layoutProblem(mem, SIZE, d + 8, drv, dev).isPresent());
        assertTrue(PackedDeviceQueue.layoutProblem(mem, SIZE, d, drv + 2, dev).get().contains("driver area"));
        assertTrue(PackedDeviceQueue.layoutProblem(mem, SIZE, d, drv, BASE + 0x4000).get().contains("device area"));
        assertTrue(PackedDeviceQueue.layoutProblem(mem, 2048, d, drv, dev).get().contains("descriptor area"));
        assertThrows(IllegalArgumentException.class, () -> new PackedDeviceQueue(mem, 0, d, drv, dev));
    }

    // ---- driver model and device side together ----

    /** What the driver submitted: the bytes it offered and what the echoing device must give back. */
    private record Request(Chain chain, byte[] offered, long expectedLen) {
    }

    /**
     * Random chains of 1–4 readable and 1–4 writable buffers (fewer when the ring is smaller), submitted and
     * completed in random interleavings and orders. The device echoes the readable bytes into the writable part.
     * Every request must complete exactly once with the right len and data, with no finding on either side.
     */
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 16, 7})
    void driverModelAndDeviceAgreeOnTenThousandRandomChains(int size) {
        GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 20);
        Allocator alloc = new Allocator(memory, memory.base(), memory.size(), 16);
        PackedVirtqueue driver = PackedVirtqueue.allocate(alloc, 0, size);
        PackedDeviceQueue device = new PackedDeviceQueue(memory, size, driver.descriptorArea(), driver.driverArea(),
                driver.deviceArea());
        Random random = new Random(size * 7919L);
        Map<Integer, Request> inFlight = new HashMap<>();
        List<DescriptorChain> taken = new ArrayList<>();
        int submitted = 0;
        int completed = 0;
        while (completed < 10_000) {
            // One round: submit and complete at random until the round's requests are done, then check integrity
            // and give the buffers back to the allocator.
            Allocator.Mark mark = alloc.mark();
            int roundEnd = Math.min(10_000, submitted + 64);
            while (completed < roundEnd) {
                int action = random.nextInt(3);
                if (action == 0 && submitted < roundEnd) {
                    Request r = submit(driver, alloc, random, size);
                    if (r != null) {
                        assertNull(inFlight.put(r.chain().head(), r), "id reused while in flight");
                        submitted++;
                    }
                } else if (action == 1) {
                    device.pop().ifPresent(taken::add);
                    if (!taken.isEmpty() && random.nextBoolean()) {
                        echo(device, taken.remove(random.nextInt(taken.size())));
                    }
                } else {
                    var done = driver.poll();
                    if (done.isPresent()) {
                        check(memory, inFlight.remove(done.get().chain().head()), done.get());
                        completed++;
                    }
                }
            }
            assertTrue(inFlight.isEmpty() && taken.isEmpty());
            assertEquals(List.of(), alloc.integrityFindings());
            alloc.rewind(mark);
        }
        assertTrue(driver.poll().isEmpty());
        assertTrue(device.pop().isEmpty());
        assertEquals(size, driver.freeDescriptors());
        assertEquals(List.of(), driver.findings());
        assertEquals(10_000 & 0xffff, device.usedIdx());
    }

    /**
     * The same with the device on its own thread, so that the publication order (tail descriptors, then the head's
     * flags; id and len, then the used flags) is what makes the other side see complete data.
     */
    @Test
    void driverModelAndDeviceOnSeparateThreads() throws Exception {
        GuestMemory memory = ByteBufferGuestMemory.allocate(0x4000_0000L, 1 << 20);
        Allocator alloc = new Allocator(memory, memory.base(), memory.size(), 16);
        PackedVirtqueue driver = PackedVirtqueue.allocate(alloc, 0, 7);
        PackedDeviceQueue device = new PackedDeviceQueue(memory, 7, driver.descriptorArea(), driver.driverArea(),
                driver.deviceArea());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> deviceFailure = new AtomicReference<>();
        Thread deviceThread = new Thread(() -> {
            try {
                while (!stop.get()) {
                    var chain = device.pop();
                    if (chain.isPresent()) {
                        echo(device, chain.get());
                    } else {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                deviceFailure.set(t);
            }
        }, "packed-device");
        deviceThread.setDaemon(true);
        deviceThread.start();
        try {
            Random random = new Random(42);
            Map<Integer, Request> inFlight = new HashMap<>();
            int completed = 0;
            while (completed < 10_000) {
                Allocator.Mark mark = alloc.mark();
                for (int i = 0; i < 64; i++) {
                    Request r = submit(driver, alloc, random, 7);
                    while (r == null) {
                        completed += awaitOne(driver, memory, inFlight, deviceFailure);
                        r = submit(driver, alloc, random, 7);
                    }
                    inFlight.put(r.chain().head(), r);
                }
                while (!inFlight.isEmpty()) {
                    completed += awaitOne(driver, memory, inFlight, deviceFailure);
                }
                assertEquals(List.of(), alloc.integrityFindings());
                alloc.rewind(mark);
            }
            assertEquals(List.of(), driver.findings());
        } finally {
            stop.set(true);
            deviceThread.join(5_000);
        }
        assertNull(deviceFailure.get());
    }

    private static int awaitOne(PackedVirtqueue driver, GuestMemory memory, Map<Integer, Request> inFlight,
                                AtomicReference<Throwable> deviceFailure) {
        assertNull(deviceFailure.get());
        Completion done = driver.await(Deadline.after(Duration.ofSeconds(10)));
        check(memory, inFlight.remove(done.chain().head()), done);
        return 1;
    }

    private static Request submit(PackedVirtqueue driver, Allocator alloc, Random random, int size) {
        int nr = 1 + random.nextInt(4);
        int nw = 1 + random.nextInt(4);
        while (nr + nw > size) {
            if (nr >= nw) {
                nr--;
            } else {
                nw--;
            }
        }
        if (nr + nw > driver.freeDescriptors()) {
            return null;
        }
        List<Buffer> readable = new ArrayList<>();
        byte[] offered = new byte[0];
        for (int i = 0; i < nr; i++) {
            byte[] b = new byte[1 + random.nextInt(48)];
            random.nextBytes(b);
            readable.add(alloc.readable(b));
            offered = concat(offered, b);
        }
        List<Buffer> writable = new ArrayList<>();
        long room = 0;
        for (int i = 0; i < nw; i++) {
            Buffer b = alloc.writable(1 + random.nextInt(48));
            writable.add(b);
            room += b.length();
        }
        return new Request(driver.add(readable, writable), offered, Math.min(offered.length, room));
    }

    /** The device: read everything readable, write as much of it as fits, report what it wrote. */
    private static void echo(PackedDeviceQueue device, DescriptorChain chain) {
        byte[] in = new byte[(int) chain.readableLength()];
        assertTrue(chain.reader(device.memory()).read(in));
        byte[] out = Arrays.copyOf(in, (int) Math.min(in.length, chain.writableLength()));
        ChainWriter w = chain.writer(device.memory());
        assertTrue(w.write(out));
        device.push(chain, w.written());
    }

    private static void check(GuestMemory memory, Request r, Completion done) {
        assertNotNull(r, "completion for a request not in flight: " + done);
        assertEquals(r.chain(), done.chain());
        assertEquals(r.expectedLen(), done.usedLen());
        byte[] got = new byte[0];
        for (Buffer b : r.chain().writable()) {
            got = concat(got, memory.read(b.address(), b.length()));
        }
        int n = (int) r.expectedLen();
        assertArrayEquals(Arrays.copyOf(r.offered(), n), Arrays.copyOf(got, n));
        for (int i = n; i < got.length; i++) {
            assertEquals(Allocator.POISON, got[i], "byte " + i + " past the used len");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
