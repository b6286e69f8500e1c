package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Generated blk plans against the in-process reference device, split and packed rings over virtio-mmio: every
 * oracle must stay silent. A bounded number of tries for CI; {@code -Dfuzz.seed=N} replays one run.
 */
@AddLifecycleHook(SaveShrunkPlan.class)
class BlkFuzzProperties {
    static final String SPLIT = "inproc:blk?transport=mmio&ring=split";
    static final String PACKED = "inproc:blk?transport=mmio&ring=packed";

    @Provide
    Arbitrary<BlkPlan> plans() {
        return BlkPlanArbitraries.plans();
    }

    @Property(tries = 100)
    @FuzzTarget(SPLIT)
    void splitRingPlansRunClean(@ForAll("plans") BlkPlan plan) {
        assertEquals(List.of(), BlkPlanRunner.run(SPLIT, plan));
    }

    @Property(tries = 100)
    @FuzzTarget(PACKED)
    void packedRingPlansRunClean(@ForAll("plans") BlkPlan plan) {
        assertEquals(List.of(), BlkPlanRunner.run(PACKED, plan));
    }
}
