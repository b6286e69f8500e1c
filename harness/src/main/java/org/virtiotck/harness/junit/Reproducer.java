package org.virtiotck.harness.junit;

import java.lang.reflect.Method;
import org.virtiotck.harness.target.TargetVariant;

/** The one-line command that reruns exactly one probe against exactly one target variant. */
final class Reproducer {
    private Reproducer() {
    }

    static String command(TargetVariant variant, Method probe) {
        return "mvn verify -Dtarget='" + variant.canonical() + "' -Dit.test='"
                + probe.getDeclaringClass().getSimpleName() + "#" + probe.getName() + "'";
    }
}
