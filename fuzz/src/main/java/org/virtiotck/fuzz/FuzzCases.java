package org.virtiotck.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated fuzz cases for one device type: a subset of the ring features, up to {@link #MAX_BATCHES} batches
 * (each a reset and a renegotiation), each of up to {@link #MAX_STEPS} steps with up to {@link #MAX_IN_FLIGHT}
 * requests in flight together. Everything is built from jqwik arbitraries, so a failing case shrinks: fewer
 * batches, steps and requests, no ring features, simpler requests.
 */
public final class FuzzCases {
    static final int MAX_BATCHES = 3;
    static final int MAX_STEPS = 8;
    static final int MAX_IN_FLIGHT = 4;

    private FuzzCases() {
    }

    public static Arbitrary<FuzzCase> of(DeviceFuzz fuzz) {
        Arbitrary<Step> steps = fuzz.requests().list().ofMinSize(1).ofMaxSize(MAX_IN_FLIGHT)
                .filter(rs -> rs.stream().mapToInt(FuzzRequest::descriptors).sum() <= FuzzRunner.QUEUE_SIZE)
                .filter(fuzz::predictableTogether)
                .map(Step::new);
        Arbitrary<Batch> batches = steps.list().ofMinSize(1).ofMaxSize(MAX_STEPS).map(Batch::new);
        return Combinators.combine(Arbitraries.subsetOf(FuzzCase.RING_OPTIONS),
                batches.list().ofMinSize(1).ofMaxSize(MAX_BATCHES))
                .as((features, bs) -> new FuzzCase(FuzzCase.RING_OPTIONS.stream().filter(features::contains).toList(), bs));
    }
}
