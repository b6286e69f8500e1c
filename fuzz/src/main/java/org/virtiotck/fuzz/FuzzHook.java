package org.virtiotck.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Around every fuzz property: opens the {@link FuzzRunner} its cases run on (the target of {@link FuzzTarget},
 * else of {@code -Dfuzz.variant}) and closes it afterwards; seeds the property from {@code -Dfuzz.seed} when given
 * and it has no seed of its own; and when it fails, saves the shrunk case with the seed to
 * {@code <fuzz.regressions>/<method>-<seed>.json} (default {@code regressions/}, i.e. {@code fuzz/regressions/}
 * under Maven), where {@code RegressionReplayTest} replays it from then on.
 */
public final class FuzzHook implements AroundPropertyHook {
    public static final String SEED_PROPERTY = "fuzz.seed";
    public static final String VARIANT_PROPERTY = "fuzz.variant";
    public static final String DIRECTORY_PROPERTY = "fuzz.regressions";
    private static volatile FuzzRunner current;
    /** The file the last failing property saved, until {@link VariantFuzz} takes it for its round. */
    private static volatile Path saved;

    /** The runner of the property that runs now. */
    public static FuzzRunner runner() {
        FuzzRunner r = current;
        if (r == null) {
            throw new IllegalStateException("no fuzz property runs: annotate its class with @AddLifecycleHook(FuzzHook.class)");
        }
        return r;
    }

    /** The regression file saved since the last call, if any. */
    static Optional<Path> takeSaved() {
        Path p = saved;
        saved = null;
        return Optional.ofNullable(p);
    }

    public static Path directory() {
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
        // A property with a seed of its own (the power tests') keeps it.
        if (!seed.isBlank() && context.attributes().seed().filter(s -> !s.isBlank()).isEmpty()) {
            context.attributes().setSeed(seed.strip());
        }
        String target = context.findAnnotation(FuzzTarget.class).map(FuzzTarget::value)
                .orElseGet(() -> System.getProperty(VARIANT_PROPERTY, ""));
        try (FuzzRunner runner = new FuzzRunner(variant(target))) {
            current = runner;
            PropertyExecutionResult result = property.execute();
            if (result.status() == PropertyExecutionResult.Status.FAILED && result.shrunkSample().isPresent()) {
                save(context, runner, result);
            }
            return result;
        } finally {
            current = null;
        }
    }

    private static void save(PropertyLifecycleContext context, FuzzRunner runner, PropertyExecutionResult result) {
        FuzzCase shrunk = result.shrunkSample().get().parameters().stream().filter(FuzzCase.class::isInstance)
                .map(FuzzCase.class::cast).findFirst().orElseThrow();
        String usedSeed = result.seed().orElse("");
        String target = runner.variant().canonical();
        // A back-end may serve one connection at a time (qemu-storage-daemon does): the replay needs it.
        runner.close();
        List<String> findings = FuzzRegression.replay(target, shrunk).stream().map(FuzzFinding::toString).toList();
        Path file = new FuzzRegression(target, usedSeed, shrunk, findings)
                .write(directory(), context.targetMethod().getName() + "-" + usedSeed);
        saved = file;
        System.err.println("fuzz: shrunk case and seed saved to " + file.toAbsolutePath());
    }

    /** The one variant {@code target} names. */
    static TargetVariant variant(String target) {
        if (target.isBlank()) {
            throw new IllegalStateException("no fuzz target: give the property @FuzzTarget or set -D" + VARIANT_PROPERTY);
        }
        List<TargetVariant> variants = TargetSpec.parse(target).variants();
        if (variants.size() != 1) {
            throw new IllegalArgumentException("fuzz target " + target + " names " + variants.size()
                    + " variants; name one transport and one ring");
        }
        return variants.get(0);
    }
}
