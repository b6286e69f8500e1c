package org.virtiotck.harness.junit;

import java.lang.reflect.Method;
import org.virtiotck.harness.target.TargetVariant;

/**
 * The one-line command that reruns exactly one probe against exactly one target variant: the Maven command, or,
 * when the run came from the command-line jar (it sets {@link #JAR_PROPERTY}), the same jar with the same probe.
 */
public final class Reproducer {
    /** How the jar that runs the probes is named on a command line ({@code virtio-tck.jar}); unset under Maven. */
    public static final String JAR_PROPERTY = "virtio.tck.jar";

    private Reproducer() {
    }

    static String command(TargetVariant variant, Method probe) {
        String name = probe.getDeclaringClass().getSimpleName() + "#" + probe.getName();
        String jar = System.getProperty(JAR_PROPERTY, "");
        if (!jar.isBlank()) {
            return "java -jar " + jar + " --target '" + variant.canonical() + "' --only '" + name + "'";
        }
        return "mvn verify -Dtarget='" + variant.canonical() + "' -Dit.test='" + name + "'";
    }
}
