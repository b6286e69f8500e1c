package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The fuzz property pointed at {@link PastThirdDescriptorBlk} with a fixed seed. Not picked up by Surefire (its
 * name ends in neither Test nor Properties): {@link FuzzerPowerTest} runs it through the jqwik engine and expects
 * it to fail.
 */
@AddLifecycleHook(SaveShrunkPlan.class)
class PastThirdDescriptorRun {
    static final int TRIES = 200;

    @Provide
    Arbitrary<BlkPlan> plans() {
        return BlkPlanArbitraries.plans();
    }

    // A fixed seed and no replay of a sample jqwik remembers from an earlier run: the same cases every time.
    @Property(tries = TRIES, seed = "20261126", afterFailure = AfterFailureMode.RANDOM_SEED)
    @FuzzTarget(PastThirdDescriptorBlk.TARGET)
    void plansRunClean(@ForAll("plans") BlkPlan plan) {
        assertEquals(List.of(), BlkPlanRunner.run(PastThirdDescriptorBlk.TARGET, plan));
    }
}
