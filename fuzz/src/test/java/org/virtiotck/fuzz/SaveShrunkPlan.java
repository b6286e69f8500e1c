package org.virtiotck.fuzz;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Around every fuzz property: seeds it from {@code -Dfuzz.seed} when given and it has no seed of its own, and when it fails saves the shrunk
 * plan with the seed to {@code <fuzz.regressions>/<method>-<seed>.json} (default {@code regressions/}, i.e.
 * {@code fuzz/regressions/} under Maven), where {@link RegressionReplayTest} replays it from then on.
 */
final class SaveShrunkPlan implements AroundPropertyHook {
    static final String SEED_PROPERTY = "fuzz.seed";
    static final String DIRECTORY_PROPERTY = "fuzz.regressions";

    static Path directory() {
        return Path.of(System.getProperty(DIRECTORY_PROPERTY, "regressions"));
    }

    /** Declared on a class, it applies to every property in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String seed = System.getProperty(SEED_PROPERTY, "");
        // A property with a seed of its own (the power test's) keeps it.
        if (!seed.isBlank() && context.attributes().seed().filter(s -> !s.isBlank()).isEmpty()) {
            context.attributes().setSeed(seed.strip());
        }
        PropertyExecutionResult result = property.execute();
        if (result.status() != PropertyExecutionResult.Status.FAILED || result.shrunkSample().isEmpty()) {
            return result;
        }
        String target = context.findAnnotation(FuzzTarget.class).map(FuzzTarget::value)
                .orElseThrow(() -> new IllegalStateException(context.label() + " has no @FuzzTarget"));
        BlkPlan plan = result.shrunkSample().get().parameters().stream().filter(BlkPlan.class::isInstance)
                .map(BlkPlan.class::cast).findFirst().orElseThrow();
        String usedSeed = result.seed().orElse("");
        List<String> findings = BlkPlanRunner.run(target, plan).stream().map(FuzzFinding::toString).toList();
        Path file = new FuzzRegression(target, usedSeed, plan, findings)
                .write(directory(), context.targetMethod().getName() + "-" + usedSeed);
        System.err.println("fuzz: shrunk plan and seed saved to " + file.toAbsolutePath());
        return result;
    }
}
