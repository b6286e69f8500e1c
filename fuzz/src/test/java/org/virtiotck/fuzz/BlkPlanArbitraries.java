package org.virtiotck.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.virtiotck.harness.inproc.BlkDeviceProvider;

/**
 * Generators of blk plans. Everything is built from jqwik arbitraries, so a failing plan shrinks: fewer requests,
 * fewer cuts, the first type (IN), sector 0, one sector, no indirect table.
 */
final class BlkPlanArbitraries {
    static final int MAX_SECTORS = 8;
    static final int MAX_CUTS = 3;

    private BlkPlanArbitraries() {
    }

    static Arbitrary<BlkPlanRequest> requests() {
        Arbitrary<Integer> rawCuts = Arbitraries.integers().between(1, MAX_SECTORS * 512 - 1);
        return Combinators.combine(Arbitraries.of(BlkRequestType.class),
                Arbitraries.longs().between(0, BlkDeviceProvider.CAPACITY_SECTORS - MAX_SECTORS),
                Arbitraries.integers().between(1, MAX_SECTORS), rawCuts.list().ofMaxSize(MAX_CUTS),
                Arbitraries.of(false, true))
                .as(BlkPlanArbitraries::request);
    }

    static Arbitrary<BlkPlan> plans() {
        return requests().list().ofMinSize(1).ofMaxSize(12).map(BlkPlan::new);
    }

    /** Folds raw cut offsets into the request's data: inside it, distinct and rising; a flush has none. */
    private static BlkPlanRequest request(BlkRequestType type, long sector, int sectors, List<Integer> raw,
            boolean indirect) {
        int bytes = new BlkPlanRequest(type, sector, sectors, List.of(), indirect).dataBytes();
        List<Integer> cuts = bytes == 0 ? List.of()
                : raw.stream().map(c -> c % bytes).filter(c -> c > 0).distinct().sorted().toList();
        return new BlkPlanRequest(type, sector, sectors, cuts, indirect);
    }
}
