package org.virtiotck.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;

/**
 * Blk requests: reads, writes, flushes and GET_ID of up to {@link #MAX_SECTORS} sectors anywhere on the disk's
 * first {@link #SECTORS} sectors, data cut into up to {@link #MAX_CUTS} extra descriptors, with or without an
 * indirect table. They shrink toward a one-sector read of sector 0 in one data descriptor.
 */
final class BlkFuzz implements DeviceFuzz {
    static final int MAX_SECTORS = 8;
    static final int MAX_CUTS = 3;
    /** Requests stay on the first sectors, so any disk of at least 1 MiB will do. */
    static final long SECTORS = 2048;

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public FeatureSet features() {
        return FeatureSet.of(Feature.BLK_RO, Feature.BLK_FLUSH);
    }

    @Override
    public int queues() {
        return 1;
    }

    @Override
    public Arbitrary<FuzzRequest> requests() {
        Arbitrary<Integer> rawCuts = Arbitraries.integers().between(1, MAX_SECTORS * 512 - 1);
        return Combinators.combine(Arbitraries.of(BlkRequestType.class),
                Arbitraries.longs().between(0, SECTORS - MAX_SECTORS),
                Arbitraries.integers().between(1, MAX_SECTORS), rawCuts.list().ofMaxSize(MAX_CUTS),
                Arbitraries.of(false, true))
                .as((type, sector, sectors, raw, indirect) -> new BlkFuzzRequest(type, sector, sectors,
                        Cuts.fold(raw, BlkFuzzRequest.dataBytes(type, sectors)), indirect));
    }

    /** No write shares a sector with another request in flight: their order, and so the result, is the device's. */
    @Override
    public boolean predictableTogether(List<FuzzRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            for (int j = i + 1; j < requests.size(); j++) {
                BlkFuzzRequest a = (BlkFuzzRequest) requests.get(i);
                BlkFuzzRequest b = (BlkFuzzRequest) requests.get(j);
                if ((a.type() == BlkRequestType.OUT || b.type() == BlkRequestType.OUT) && a.overlaps(b)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public DeviceOracle attach(Session session) {
        return new BlkOracle(session);
    }
}
