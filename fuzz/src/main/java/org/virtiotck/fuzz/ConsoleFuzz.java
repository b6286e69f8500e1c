package org.virtiotck.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;

/**
 * Console requests on port 0's receiveq (0) and transmitq (1): 1 to {@link #MAX_BYTES} bytes in up to
 * {@link #MAX_CUTS} + 1 descriptors, with or without an indirect table. No feature is asked for: without
 * MULTIPORT a multiport console still serves port 0 on those queues (§5.3.2). They shrink toward a one-byte
 * transmit in one descriptor.
 */
final class ConsoleFuzz implements DeviceFuzz {
    static final int MAX_BYTES = 512;
    static final int MAX_CUTS = 3;

    @Override
    public DeviceType type() {
        return DeviceType.CONSOLE;
    }

    @Override
    public FeatureSet features() {
        return FeatureSet.NONE;
    }

    @Override
    public int queues() {
        return 2;
    }

    @Override
    public Arbitrary<FuzzRequest> requests() {
        return Combinators.combine(Arbitraries.of(Direction.class), Arbitraries.integers().between(1, MAX_BYTES),
                Arbitraries.integers().between(1, MAX_BYTES - 1).list().ofMaxSize(MAX_CUTS), Arbitraries.of(false, true))
                .as((direction, bytes, raw, indirect) ->
                        new ConsoleFuzzRequest(direction, bytes, Cuts.fold(raw, bytes), indirect));
    }

    @Override
    public DeviceOracle attach(Session session) {
        return new ConsoleOracle(session);
    }
}
