package org.virtiotck.fuzz;

import java.util.List;
import net.jqwik.api.Arbitrary;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.session.Session;

/**
 * What the fuzzer knows of one device type: the features it asks for besides a case's ring features, the queues
 * every batch sets up, how its requests are generated, and the oracle that builds and judges them on a session.
 */
public interface DeviceFuzz {

    DeviceType type();

    /** Device features the driver accepts where offered, besides the case's ring features. */
    FeatureSet features();

    /** Queues 0 to {@code queues() - 1} are set up in every batch. */
    int queues();

    /** Well-formed requests of this type; they shrink toward the simplest request. */
    Arbitrary<FuzzRequest> requests();

    /**
     * Whether these requests, in flight together, have one outcome the oracle can predict. A device may carry out
     * requests in flight in any order, so for blk a write must not overlap another request's sectors.
     */
    default boolean predictableTogether(List<FuzzRequest> requests) {
        return true;
    }

    /** The oracle for requests on {@code session}, which lives as long as the session. */
    DeviceOracle attach(Session session);
}
