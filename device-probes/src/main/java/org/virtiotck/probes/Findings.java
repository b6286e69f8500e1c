package org.virtiotck.probes;

import java.util.List;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.harness.junit.Check;

/**
 * The driver model's findings of given kinds, for probes whose clause one kind of finding names. Any finding
 * fails a probe anyway; checking the kind in the body makes the failure name the probe's own clause.
 */
public final class Findings {
    private Findings() {
    }

    public static List<Finding> of(VirtioDriver driver, Finding.Kind... kinds) {
        List<Finding.Kind> wanted = List.of(kinds);
        return driver.findings().stream().filter(f -> wanted.contains(f.kind())).toList();
    }

    /** Fails, with the first such finding's raw values, when the driver model recorded one of {@code kinds}. */
    public static void noneOf(VirtioDriver driver, Finding.Kind... kinds) {
        List<Finding> seen = of(driver, kinds);
        Check.that(seen.isEmpty(), kinds[0].summary(), "nothing of the kind",
                seen.isEmpty() ? "" : seen.size() + " time(s), the first: " + seen.get(0).detail());
    }
}
