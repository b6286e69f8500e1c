package org.virtiotck.reports.allure;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.PlainSample;

/**
 * One test that runs other tests through a launcher of its own, as the fuzz run does for each round: run by
 * {@link AllureListenerTest}, not by Surefire (the name does not match its includes).
 */
public class NestedLauncherSample {
    @Test
    void runsPlainSampleInside() {
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(PlainSample.class)).build());
    }
}
