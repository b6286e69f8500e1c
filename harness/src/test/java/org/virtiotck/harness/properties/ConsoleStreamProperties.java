package org.virtiotck.harness.properties;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.inproc.ConsoleDevice;
import org.virtiotck.harness.inproc.DriverRig;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.ConsoleHost;

/**
 * Both streams of the reference console arrive intact and in order, whatever the ring layout and features, the
 * transport, the sizes the host writes in, the shapes of the driver's receive and transmit buffers, and however
 * the host's writes, the driver's postings and its transmissions interleave. Each receive buffer's used len is
 * exactly the bytes it holds, and the device writes nothing it must not.
 */
class ConsoleStreamProperties {

    /** Everything one run varies: the streams, how each is cut, and the order of events. */
    record Plan(byte[] toDriver, byte[] fromDriver, List<Integer> hostWrites, List<List<Integer>> rxBuffers,
            List<List<Integer>> txChains, long schedule) {

        @Override
        public String toString() {
            return "Plan[toDriver=" + toDriver.length + " bytes, fromDriver=" + fromDriver.length + " bytes, hostWrites="
                    + hostWrites + ", rxBuffers=" + rxBuffers + ", txChains=" + txChains + ", schedule=" + schedule + "]";
        }
    }

    @Provide
    Arbitrary<Rings> rings() {
        Arbitrary<Boolean> b = Arbitraries.of(true, false);
        return Combinators.combine(b, b, b, b).as(Rings::new);
    }

    /** One to three descriptors of 1 to {@code max} bytes. */
    private static Arbitrary<List<Integer>> shape(int max) {
        return Arbitraries.integers().between(1, max).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<byte[]> stream = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return Combinators.combine(stream, stream, Arbitraries.integers().between(1, 400).list().ofMinSize(1).ofMaxSize(8),
                shape(200).list().ofMinSize(1).ofMaxSize(6), shape(300).list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.longs()).as(Plan::new);
    }

    @Property(tries = 300)
    void bothStreamsArriveIntactAndInOrder(@ForAll("rings") Rings rings, @ForAll boolean pci,
            @ForAll @IntRange(min = 4, max = 16) int size, @ForAll("plans") Plan plan) {
        run(rings, pci, rings.packed() ? size : Integer.highestOneBit(size), plan);
    }

    @Example
    void aQuarterMegabyteEachWayOnEveryLayout() {
        Random random = new Random(11);
        for (boolean packed : new boolean[] {false, true}) {
            for (boolean all : new boolean[] {false, true}) {
                byte[] toDriver = new byte[256 << 10];
                byte[] fromDriver = new byte[256 << 10];
                random.nextBytes(toDriver);
                random.nextBytes(fromDriver);
                Plan plan = new Plan(toDriver, fromDriver, List.of(4096, 1, 777), List.of(List.of(2048), List.of(100, 3000)),
                        List.of(List.of(4000), List.of(1, 2, 3000)), random.nextLong());
                run(new Rings(packed, all, all, all), false, 16, plan);
            }
        }
    }

    private static void run(Rings rings, boolean pci, int queueSize, Plan plan) {
        ConsoleDevice device = new ConsoleDevice();
        DriverRig rig = (pci ? DriverRig.pci(device) : DriverRig.mmio(device))
                .start(rings, FeatureSet.of(Feature.CONSOLE_SIZE, Feature.CONSOLE_EMERG_WRITE), queueSize);
        new Run(rig, device.farSide(ConsoleHost.class).orElseThrow(), plan).toTheEnd();
        assertEquals(List.of(), rig.driver.findings(), plan.toString());
    }

    /** One run of a plan: the schedule picks the next event until both streams have arrived. */
    private static final class Run {
        private final DriverRig rig;
        private final ConsoleHost host;
        private final Plan plan;
        private final Virtqueue rx;
        private final Virtqueue tx;
        private final Random schedule;
        /** The allocator with the rings in place and no buffer yet. */
        private final Allocator.Mark empty;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final ByteArrayOutputStream hostGot = new ByteArrayOutputStream();
        private int hostSent;
        private int writes;
        private int transmitted;
        private int txChains;
        private int rxPosted;

        Run(DriverRig rig, ConsoleHost host, Plan plan) {
            this.rig = rig;
            this.host = host;
            this.plan = plan;
            this.rx = rig.queue(ConsoleDevice.RECEIVEQ);
            this.tx = rig.queue(ConsoleDevice.TRANSMITQ);
            this.schedule = new Random(plan.schedule());
            this.empty = rig.alloc.mark();
        }

        void toTheEnd() {
            long progress = -1;
            for (int idle = 0; received.size() < plan.toDriver().length || transmitted < plan.fromDriver().length; idle++) {
                // Any step moves something unless the device lost bytes: then stop instead of looping forever.
                long now = (long) received.size() + hostSent + transmitted + rxPosted;
                if (now != progress) {
                    progress = now;
                    idle = 0;
                }
                assertTrue(idle < 1000, "no progress in 1000 steps: " + received.size() + " of "
                        + plan.toDriver().length + " bytes received, " + hostSent + " sent by the host; " + plan);
                switch (schedule.nextInt(4)) {
                    case 0 -> hostWrite();
                    case 1 -> postReceiveBuffer();
                    case 2 -> transmit();
                    default -> collect();
                }
            }
            collect();
            hostGot.writeBytes(host.drainFromDriver());
            assertArrayEquals(plan.toDriver(), received.toByteArray(), "host to driver: " + plan);
            assertArrayEquals(plan.fromDriver(), hostGot.toByteArray(), "driver to host: " + plan);
        }

        private void hostWrite() {
            if (hostSent < plan.toDriver().length) {
                int n = Math.min(cycle(plan.hostWrites(), writes++), plan.toDriver().length - hostSent);
                host.sendToDriver(Arrays.copyOfRange(plan.toDriver(), hostSent, hostSent + n));
                hostSent += n;
            }
        }

        private void postReceiveBuffer() {
            List<Integer> segments = cycle(plan.rxBuffers(), rxPosted);
            if (rx.freeDescriptors() < segments.size()) {
                return;
            }
            List<Buffer> writable = new ArrayList<>();
            for (int n : segments) {
                writable.add(rig.alloc.writable(n));
            }
            rx.add(List.of(), writable, indirect(rx, segments.size()));
            rig.driver.kick(rx);
            rxPosted++;
        }

        /** Sends the next piece of the driver's stream as one chain and waits for it: transmit completes at once. */
        private void transmit() {
            if (transmitted == plan.fromDriver().length) {
                return;
            }
            List<Buffer> readable = new ArrayList<>();
            for (int n : cycle(plan.txChains(), txChains++)) {
                int take = Math.min(n, plan.fromDriver().length - transmitted);
                if (take > 0) {
                    readable.add(rig.alloc.readable(Arrays.copyOfRange(plan.fromDriver(), transmitted, transmitted + take)));
                    transmitted += take;
                }
            }
            tx.add(readable, List.of(), indirect(tx, readable.size()));
            rig.driver.kick(tx);
            assertEquals(0, tx.await(rig.driver.deadline()).usedLen(), "transmit used len");
            // Drained now and then, so the host side sees its stream in several pieces too.
            if (schedule.nextBoolean()) {
                hostGot.writeBytes(host.drainFromDriver());
            }
        }

        private void collect() {
            for (Optional<Completion> c = rx.poll(); c.isPresent(); c = rx.poll()) {
                Completion done = c.get();
                assertTrue(done.usedLen() >= 1 && done.usedLen() <= done.chain().writableBytes(),
                        "a receive buffer is used only with bytes for it: len " + done.usedLen());
                received.writeBytes(rig.written(done));
            }
            // Reuse the memory of completed chains once nothing is in flight.
            if (rxInFlight() == 0 && tx.freeDescriptors() == tx.size()) {
                rig.alloc.rewind(empty);
            }
        }

        private int rxInFlight() {
            return rx.size() - rx.freeDescriptors();
        }

        /** Through a table now and then, where the ring has them and there is more than one buffer. */
        private boolean indirect(Virtqueue q, int buffers) {
            return q.features().indirect() && buffers > 1 && buffers <= q.maxIndirect() && schedule.nextBoolean();
        }

        private static <T> T cycle(List<T> list, int i) {
            return list.get(i % list.size());
        }
    }
}
