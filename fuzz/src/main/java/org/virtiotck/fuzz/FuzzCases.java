package org.virtiotck.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated fuzz cases for one device type: a subset of the ring features, up to {@link #MAX_BATCHES} batches
 * (each a reset and a renegotiation), each of up to {@link #MAX_STEPS} steps with up to {@link #MAX_IN_FLIGHT}
 * requests in flight together, and maybe ending with a {@link Mutation} (batches of a mutation alone have no
 * steps). Everything is built from jqwik arbitraries, so a failing case shrinks: fewer
 * batches, steps and requests, no mutation, no ring features, simpler requests.
 */
public final class FuzzCases {
    static final int MAX_BATCHES = 3;
    static final int MAX_STEPS = 8;
    static final int MAX_IN_FLIGHT = 4;
    static final int MAX_MUTATION_AT = 15;
    static final int MAX_MUTATION_VALUE = 31;

    private FuzzCases() {
    }

    public static Arbitrary<FuzzCase> of(DeviceFuzz fuzz) {
        Arbitrary<Step> steps = fuzz.requests().list().ofMinSize(1).ofMaxSize(MAX_IN_FLIGHT)
                .filter(rs -> rs.stream().mapToInt(FuzzRequest::descriptors).sum() <= FuzzRunner.QUEUE_SIZE)
                .filter(fuzz::predictableTogether)
                .map(Step::new);
        // A list of at most one: shrinking empties it, toward no mutation. Kinds come evenly (jqwik's edge cases
        // would favour the first and last), and shrink toward the first.
        Arbitrary<MutationKind> kinds = Arbitraries.of(MutationKind.class).withoutEdgeCases();
        Arbitrary<List<Mutation>> mutation = Combinators.combine(fuzz.requests(), kinds,
                Arbitraries.integers().between(0, MAX_MUTATION_AT), Arbitraries.integers().between(0, MAX_MUTATION_VALUE))
                .as(Mutation::new).list().ofMaxSize(1);
        Arbitrary<Batch> batches = Combinators.combine(steps.list().ofMaxSize(MAX_STEPS), mutation)
                .filter((ss, ms) -> !ss.isEmpty() || !ms.isEmpty())
                .as((ss, ms) -> new Batch(ss, ms.isEmpty() ? null : ms.get(0)));
        return Combinators.combine(Arbitraries.subsetOf(FuzzCase.RING_OPTIONS),
                batches.list().ofMinSize(1).ofMaxSize(MAX_BATCHES))
                .as((features, bs) -> new FuzzCase(FuzzCase.RING_OPTIONS.stream().filter(features::contains).toList(), bs));
    }
}
