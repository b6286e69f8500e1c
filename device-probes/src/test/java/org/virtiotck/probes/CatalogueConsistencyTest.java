package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.ClauseCatalogue;
import org.virtiotck.reports.ProbeMethod;

/**
 * Every probe's @{@link Clause} names a clause of the clause catalogue with the same section, label and level, and
 * so does its packed-ring section. A probe whose clause is missing would show in the report as an uncatalogued
 * clause and count for no area's coverage; this test stops it before it is committed.
 *
 * <p>Probes are found the way a run finds them: the JUnit Platform discovers the classes Failsafe runs (named
 * {@code *Probes}) below {@code org.virtiotck.probes}, and the report's {@link ProbeMethod} decides what is a probe.
 */
class CatalogueConsistencyTest {
    private static final String PACKAGE = "org.virtiotck.probes";

    private record Declared(String probe, Clause clause) {
    }

    private static List<Declared> probes() {
        TestPlan plan = LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(PACKAGE))
                .filters(ClassNameFilter.includeClassNamePatterns(".*Probes"))
                .build());
        List<Declared> found = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                Optional<ProbeMethod> probe = ProbeMethod.of(id);
                Optional<Method> method = id.getSource().filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getJavaMethod());
                if (probe.isPresent() && method.isPresent()) {
                    String className = method.get().getDeclaringClass().getName().substring(PACKAGE.length() + 1);
                    found.add(new Declared(className + "#" + method.get().getName(), method.get().getAnnotation(Clause.class)));
                }
            }
        }
        return found;
    }

    @Test
    void everyProbeClauseIsInTheCatalogue() {
        ClauseCatalogue catalogue = ClauseCatalogue.standard();
        List<Declared> probes = probes();
        assertTrue(probes.size() >= 30, "probes found: " + probes.size() + "; discovery looks broken");

        List<String> problems = new ArrayList<>();
        for (Declared probe : probes) {
            catalogue.problems(probe.clause()).forEach(p -> problems.add(probe.probe() + ": " + p));
        }
        assertTrue(problems.isEmpty(), () -> problems.size() + " probe clause(s) do not match the clause catalogue"
                + " (reports/src/main/resources/" + ClauseCatalogue.RESOURCE_DIR + "<area>.json). Use the catalogued"
                + " section, label and level, or add the clause to the catalogue:\n  " + String.join("\n  ", problems));
    }
}
