package org.virtiotck.fuzz;

import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The fuzz property: generated cases for the device type of the variant {@code -Dfuzz.variant} names must run
 * clean. {@link VariantFuzz} runs it once per variant; tries come from {@code jqwik.tries.default}.
 */
@AddLifecycleHook(FuzzHook.class)
public class FuzzProperty {

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(FuzzHook.runner().deviceFuzz());
    }

    // A campaign's rounds each bring their seed; replaying a sample jqwik remembers would repeat the last round.
    @Property(afterFailure = AfterFailureMode.RANDOM_SEED)
    void casesRunClean(@ForAll("cases") FuzzCase fuzzCase) {
        check(FuzzHook.runner().run(fuzzCase));
    }

    /** Fails with every finding, one per line. */
    public static void check(List<FuzzFinding> findings) {
        if (!findings.isEmpty()) {
            throw new AssertionError(findings.size() + " finding(s):\n  "
                    + findings.stream().map(FuzzFinding::toString).collect(Collectors.joining("\n  ")));
        }
    }
}
