package org.virtiotck.probes.rng;

import java.util.Optional;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.EntropySource;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.Interrupts;
import org.virtiotck.probes.rng.RngQueue.Filled;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * An entropy device whose source runs short (VIRTIO 1.2 §5.4.6, §5.4.6.2): with nothing to give it must not
 * return a buffer empty, so a request waits, and is filled once the source has bytes again, without a new
 * notification from the driver; with fewer bytes than a buffer holds it may fill only part of it, but only with
 * what the source gave. The probes starve and feed the source from its far side.
 */
@ForDevice(DeviceType.RNG)
class RngSupplyProbes {
    private static final int REQUEST = 64;

    /** Starves the source, then makes one request available and gives the device time to mishandle it. */
    private static RngQueue waitingRequest(Session session, EntropySource source) {
        RngQueue rng = RngQueue.start(session);
        source.starve();
        source.drainProvided();
        rng.post(REQUEST, ChainLayout.ONE_DESCRIPTOR);
        Interrupts.settle();
        return rng;
    }

    /** The waiting request once {@code bytes} were supplied; empty when it did not come back by the deadline. */
    private static Optional<Filled> afterSupply(RngQueue rng, EntropySource source, long bytes) {
        source.supply(bytes);
        Deadline d = rng.driver().deadline();
        for (int attempt = 0; ; attempt++) {
            Optional<Filled> f = rng.poll();
            if (f.isPresent() || d.expired()) {
                return f;
            }
            Deadline.pause(attempt);
        }
    }

    @Probe
    @Clause(section = "5.4.6.2", label = "device places at least one random byte in each buffer it uses", level = Level.MUST)
    void starvedDeviceReturnsNothingEmpty(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = waitingRequest(session, source);
        Optional<Filled> early = rng.poll();
        Check.that(early.isEmpty() || early.get().usedLen() >= 1, "a " + REQUEST + "-byte request made while the source was dry",
                "no completion until there is entropy, or at least 1 byte", "len " + early.map(Filled::usedLen).orElse(0L));
        Optional<Filled> later = early.isPresent() ? early : afterSupply(rng, source, 16);
        later.ifPresent(f -> Check.that(f.usedLen() >= 1, "used len of the request once 16 bytes were supplied",
                "at least 1", "len " + f.usedLen()));
    }

    @Probe
    @Clause(section = "5.4.6", label = "a request waiting for entropy is filled once entropy is available, with no new notification",
            level = Level.MUST)
    void waitingRequestIsFilledWhenEntropyArrives(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = waitingRequest(session, source);
        Optional<Filled> f = afterSupply(rng, source, 16);
        Check.that(f.isPresent(), "a " + REQUEST + "-byte request made while the source was dry, after 16 bytes were supplied",
                "the request filled, without a new notification", "no completion within the deadline");
    }

    @Probe
    @Clause(section = "5.4.6", label = "bytes the device places in buffers are its entropy source's output, each handed out once",
            level = Level.MUST)
    void shortSupplyFillsOnlyWhatTheSourceGave(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = RngQueue.start(session);
        source.starve();
        source.drainProvided();
        source.supply(10);
        Filled f = rng.request(REQUEST, ChainLayout.SPLIT);
        Check.sameBytes("bytes of a " + REQUEST + "-byte request when the source had 10", source.drainProvided(), f.data());
    }
}
