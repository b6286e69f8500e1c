package org.virtiotck.cli;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.virtiotck.reports.Clause;

/**
 * Finds the probes as Failsafe does under Maven (classes named *Probes in the probes' package) and narrows them
 * to a {@link Selection}: probe methods not selected are filtered out, and JUnit drops the classes left empty.
 */
final class ProbeDiscovery {
    static final String PACKAGE = "org.virtiotck.probes";
    private static final String CLASSES = ".*Probes";

    private ProbeDiscovery() {
    }

    static LauncherDiscoveryRequest request(Selection selection, Map<String, String> configuration) {
        PostDiscoveryFilter selected = descriptor -> entry(descriptor.getSource())
                .map(p -> FilterResult.includedIf(selection.matches(p), () -> "selected", () -> "not selected by --only"))
                .orElseGet(() -> FilterResult.included("not a probe method"));
        return LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(PACKAGE))
                .filters(includeClassNamePatterns(CLASSES), selected)
                .configurationParameters(configuration)
                .build();
    }

    /** The probes of the selection, in the order JUnit would run them. */
    static List<ProbeEntry> list(Launcher launcher, Selection selection) {
        TestPlan plan = launcher.discover(request(selection, Map.of()));
        List<ProbeEntry> probes = new ArrayList<>();
        plan.getRoots().forEach(root -> collect(plan, root, probes));
        return probes;
    }

    private static void collect(TestPlan plan, TestIdentifier id, List<ProbeEntry> into) {
        entry(id.getSource()).ifPresent(into::add);
        plan.getChildren(id).forEach(child -> collect(plan, child, into));
    }

    static Optional<ProbeEntry> entry(Optional<TestSource> source) {
        return source.filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(m -> new ProbeEntry(m.getJavaClass(), m.getJavaMethod(), m.getJavaMethod().getAnnotation(Clause.class)));
    }
}
