package org.virtiotck.probes;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.virtiotck.harness.junit.ProbeExtension;

/** Runs probes in-process through the JUnit engine against a chosen target, as Failsafe would. */
final class ProbeRun {
    private ProbeRun() {
    }

    /** {@code probe} is "package.Class#method" below org.virtiotck.probes. */
    static EngineExecutionResults of(String probe, String target, boolean strict) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod("org.virtiotck.probes." + probe + "(org.virtiotck.harness.session.Session)"))
                .configurationParameter(ProbeExtension.TARGET_PARAMETER, target)
                .configurationParameter(ProbeExtension.STRICT_PARAMETER, String.valueOf(strict))
                .execute();
    }

    /** {@code probeClass} is "package.Class" below org.virtiotck.probes. */
    static EngineExecutionResults ofClass(String probeClass, String target, boolean strict) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass("org.virtiotck.probes." + probeClass))
                .configurationParameter(ProbeExtension.TARGET_PARAMETER, target)
                .configurationParameter(ProbeExtension.STRICT_PARAMETER, String.valueOf(strict))
                .execute();
    }

    static EngineExecutionResults all(String target, boolean strict) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectPackage("org.virtiotck.probes"))
                .filters(org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns(".*Probes"))
                .configurationParameter(ProbeExtension.TARGET_PARAMETER, target)
                .configurationParameter(ProbeExtension.STRICT_PARAMETER, String.valueOf(strict))
                .execute();
    }
}
