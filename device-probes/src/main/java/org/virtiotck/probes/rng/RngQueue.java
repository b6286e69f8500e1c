package org.virtiotck.probes.rng;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.EntropySource;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Workload;

/** The requestq of an entropy device (VIRTIO 1.2 §5.4) as the probes drive it: write-only requests, any layout. */
final class RngQueue {
    /** Request sizes the probes cycle through: tiny, odd, page-sized and larger than a page. */
    static final int[] SIZES = {1, 2, 3, 16, 64, 100, 512, 4096, 20000};

    private final VirtioDriver driver;
    private final Virtqueue queue;

    private RngQueue(VirtioDriver driver) {
        this.driver = driver;
        this.queue = driver.queue(0);
    }

    /** Starts the session's entropy device (the probe classes say it is one with @ForDevice). */
    static RngQueue start(Session session) {
        return new RngQueue(Workload.start(session).driver());
    }

    /** The source behind the device, or the probe ends in SKIP when the target gives none. */
    static EntropySource source(Session session) {
        Optional<EntropySource> source = session.farSide(EntropySource.class);
        Assumptions.assumeTrue(source.isPresent(), "target " + session.target().canonical()
                + " gives no access to the entropy source");
        return source.get();
    }

    VirtioDriver driver() {
        return driver;
    }

    Virtqueue queue() {
        return queue;
    }

    /** One used request: its completion and every writable byte as the device left it. */
    record Filled(Completion completion, byte[] writable) {

        /** The bytes the used len claims, capped at the buffer. */
        byte[] data() {
            return Arrays.copyOf(writable, (int) Math.min(completion.usedLen(), writable.length));
        }

        long usedLen() {
            return completion.usedLen();
        }

        /** How many leading bytes equal {@code provided}: the bytes the device wrote if it wrote the source's. */
        int matching(byte[] provided) {
            int n = 0;
            while (n < provided.length && n < writable.length && writable[n] == provided[n]) {
                n++;
            }
            return n;
        }

        /** Whether every byte from {@code from} on still holds the allocator's poison. */
        boolean untouchedFrom(int from) {
            for (int i = from; i < writable.length; i++) {
                if (writable[i] != Allocator.POISON) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Makes a request of {@code length} writable bytes available in {@code layout}, and notifies if asked to. */
    void post(int length, ChainLayout layout) {
        layout.add(queue, java.util.List.of(), layout.writable(driver.allocator(), length));
        driver.kick(queue);
    }

    /** Waits for the next used request. */
    Filled await() {
        return filled(driver.await(queue));
    }

    /** One request, waited for. */
    Filled request(int length, ChainLayout layout) {
        post(length, layout);
        return await();
    }

    /** The next used request, if the device returned one already. */
    Optional<Filled> poll() {
        return queue.poll().map(this::filled);
    }

    private Filled filled(Completion c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Buffer b : c.chain().writable()) {
            out.writeBytes(driver.allocator().memory().read(b.address(), b.length()));
        }
        return new Filled(c, out.toByteArray());
    }

    /** "4096 bytes as SPLIT": how a request is named in messages. */
    static String describe(int length, ChainLayout layout) {
        return "a " + length + "-byte request laid out as " + layout;
    }
}
