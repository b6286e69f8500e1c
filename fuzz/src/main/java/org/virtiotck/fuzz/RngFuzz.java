package org.virtiotck.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;

/**
 * Entropy requests: a buffer of 1 to {@link #MAX_BYTES} bytes in up to {@link #MAX_CUTS} + 1 descriptors, with
 * or without an indirect table. They shrink toward one byte in one descriptor. The device has no features.
 */
final class RngFuzz implements DeviceFuzz {
    static final int MAX_BYTES = 512;
    static final int MAX_CUTS = 3;

    @Override
    public DeviceType type() {
        return DeviceType.RNG;
    }

    @Override
    public FeatureSet features() {
        return FeatureSet.NONE;
    }

    @Override
    public int queues() {
        return 1;
    }

    @Override
    public Arbitrary<FuzzRequest> requests() {
        return Combinators.combine(Arbitraries.integers().between(1, MAX_BYTES),
                Arbitraries.integers().between(1, MAX_BYTES - 1).list().ofMaxSize(MAX_CUTS), Arbitraries.of(false, true))
                .as((bytes, raw, indirect) -> new RngFuzzRequest(bytes, Cuts.fold(raw, bytes), indirect));
    }

    @Override
    public DeviceOracle attach(Session session) {
        return new RngOracle(session);
    }
}
