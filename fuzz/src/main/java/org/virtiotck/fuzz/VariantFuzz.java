package org.virtiotck.fuzz;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One round of {@link FuzzProperty} on one target variant: {@code tries} generated cases from {@code seed},
 * through the jqwik engine so that a failing case is shrunk and saved. Rounds run one at a time: the variant and
 * the seed travel as system properties.
 */
public final class VariantFuzz {
    /** Where jqwik keeps its database of failed samples: under Maven target/, from the jar the report directory. */
    public static final String DATABASE_PROPERTY = "fuzz.jqwik-database";

    /** How a round ended: the property's failure, if it failed, and the regression file it saved. */
    public record Round(String variant, String seed, int tries, Optional<Throwable> failure, Optional<Path> saved) {
    }

    private VariantFuzz() {
    }

    public static synchronized Round run(String variant, String seed, int tries) {
        String[] saved = {System.getProperty(FuzzHook.VARIANT_PROPERTY), System.getProperty(FuzzHook.SEED_PROPERTY)};
        System.setProperty(FuzzHook.VARIANT_PROPERTY, variant);
        System.setProperty(FuzzHook.SEED_PROPERTY, seed);
        Throwable[] failure = {null};
        FuzzHook.takeSaved();
        try {
            Launcher launcher = LauncherFactory.create();
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectMethod(FuzzProperty.class, "casesRunClean", FuzzCase.class.getName()))
                    .configurationParameter("jqwik.tries.default", Integer.toString(tries))
                    .configurationParameter("jqwik.database", System.getProperty(DATABASE_PROPERTY, "target/jqwik-database"))
                    .configurationParameter("jqwik.reporting.onlyfailures", "true")
                    .build(), new TestExecutionListener() {
                        @Override
                        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                            if (id.isTest() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                                failure[0] = result.getThrowable().orElseGet(() -> new AssertionError(result.toString()));
                            }
                        }
                    });
        } finally {
            restore(FuzzHook.VARIANT_PROPERTY, saved[0]);
            restore(FuzzHook.SEED_PROPERTY, saved[1]);
        }
        return new Round(variant, seed, tries, Optional.ofNullable(failure[0]), FuzzHook.takeSaved());
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
