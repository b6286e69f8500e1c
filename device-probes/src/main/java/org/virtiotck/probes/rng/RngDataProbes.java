package org.virtiotck.probes.rng;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.ForDevice;
import org.virtiotck.harness.junit.Probe;
import org.virtiotck.harness.session.EntropySource;
import org.virtiotck.harness.session.Session;
import org.virtiotck.probes.ChainLayout;
import org.virtiotck.probes.rng.RngQueue.Filled;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;

/**
 * What an entropy device puts in the driver's buffers (VIRTIO 1.2 §5.4.6, §5.4.6.2): at least one byte in each,
 * and those bytes are what its source produced, each handed out once; used len counts them (§2.7.8.2). Requests
 * of many sizes and every descriptor layout, one at a time and several behind one notification.
 */
@ForDevice(DeviceType.RNG)
class RngDataProbes {

    /** Runs one request per size, the layouts rotating, and hands each with its size and layout to {@code check}. */
    private interface PerRequest {
        void check(Filled filled, String request);
    }

    private static void eachSize(RngQueue rng, PerRequest check) {
        List<ChainLayout> layouts = ChainLayout.usableOn(rng.queue());
        for (int i = 0; i < RngQueue.SIZES.length; i++) {
            int size = RngQueue.SIZES[i];
            ChainLayout layout = layouts.get(i % layouts.size());
            check.check(rng.request(size, layout), RngQueue.describe(size, layout));
        }
    }

    @Probe
    @Clause(section = "5.4.6.2", label = "device places at least one random byte in each buffer it uses", level = Level.MUST)
    void everyRequestGetsAtLeastOneByte(Session session) {
        eachSize(RngQueue.start(session), (f, request) -> Check.that(f.usedLen() >= 1, "used len of " + request,
                "at least 1", "len " + f.usedLen()));
    }

    @Probe
    @Clause(section = "5.4.6", label = "bytes the device places in buffers are its entropy source's output, each handed out once",
            level = Level.MUST)
    void bytesAreTheSourcesOutput(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = RngQueue.start(session);
        source.drainProvided();
        eachSize(rng, (f, request) -> Check.sameBytes("bytes of " + request + " against what the source provided for it",
                source.drainProvided(), f.data()));
        // Several requests behind one notification: in completion order, they hold the source's bytes in turn.
        List<ChainLayout> layouts = ChainLayout.usableOn(rng.queue());
        for (int i = 0; i < 6; i++) {
            ChainLayout layout = layouts.get(i % layouts.size());
            layout.add(rng.queue(), List.of(), layout.writable(rng.driver().allocator(), 40 + 9 * i));
        }
        rng.driver().kick(rng.queue());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            got.writeBytes(rng.await().data());
        }
        Check.sameBytes("bytes of 6 requests made available before one notification, in completion order",
                source.drainProvided(), got.toByteArray());
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4", label = "used len never exceeds the bytes the device wrote",
            level = Level.MUST)
    void usedLenNotAboveWritten(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = RngQueue.start(session);
        source.drainProvided();
        eachSize(rng, (f, request) -> {
            int written = f.matching(source.drainProvided());
            Check.that(f.usedLen() <= written, "used len of " + request, "at most the " + written
                    + " source bytes written from its start", "len " + f.usedLen());
        });
    }

    @Probe
    @Clause(section = "2.7.8.2", packedSection = "2.8.4",
            label = "used len equals the bytes written (underestimates are meant for error cases only)", level = Level.SHOULD)
    void usedLenIsExact(Session session) {
        EntropySource source = RngQueue.source(session);
        RngQueue rng = RngQueue.start(session);
        source.drainProvided();
        eachSize(rng, (f, request) -> {
            int provided = source.drainProvided().length;
            Check.that(f.usedLen() == provided && f.untouchedFrom(provided), "used len of " + request,
                    "the " + provided + " bytes the source provided for it, and nothing written after them",
                    "len " + f.usedLen() + (f.untouchedFrom(provided) ? "" : ", bytes written after the first " + provided));
        });
    }
}
