package org.virtiotck.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;

/**
 * Net requests on receiveq1 (0) and transmitq1 (1): frames of {@value NetFuzzRequest#MIN_FRAME} to
 * {@value NetFuzzRequest#MAX_FRAME} bytes and receive buffers, cut into up to {@link #MAX_CUTS} + 1 descriptors,
 * with or without an indirect table. Only MTU is asked for besides the ring features, so that frames stay within
 * what the device carries; no offload and no MRG_RXBUF, so every header is the plain 12-byte one. They shrink
 * toward a shortest frame transmitted in one descriptor.
 */
final class NetFuzz implements DeviceFuzz {
    static final int MAX_CUTS = 3;

    @Override
    public DeviceType type() {
        return DeviceType.NET;
    }

    @Override
    public FeatureSet features() {
        return FeatureSet.of(Feature.NET_MTU);
    }

    @Override
    public int queues() {
        return 2;
    }

    @Override
    public Arbitrary<FuzzRequest> requests() {
        return Combinators.combine(Arbitraries.of(Direction.class),
                Arbitraries.integers().between(NetFuzzRequest.MIN_FRAME, NetFuzzRequest.MAX_FRAME),
                Arbitraries.integers().between(1, NetFuzzRequest.RX_BUFFER - 1).list().ofMaxSize(MAX_CUTS),
                Arbitraries.of(false, true))
                .as((direction, length, raw, indirect) -> new NetFuzzRequest(direction, length,
                        Cuts.fold(raw, NetFuzzRequest.chainBytes(direction, length)), indirect));
    }

    @Override
    public DeviceOracle attach(Session session) {
        return new NetOracle(session);
    }
}
