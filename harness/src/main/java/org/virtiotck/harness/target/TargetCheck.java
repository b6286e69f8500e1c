package org.virtiotck.harness.target;

import org.virtiotck.harness.qemu.QemuContainers;

/**
 * Validates a target string, and the known-deviation list when one is named, before any probe runs: the build
 * calls it in-process first, so a bad {@code -Dtarget} or {@code -Dknown-deviations} costs one line and no test time.
 */
public final class TargetCheck {
    private TargetCheck() {
    }

    /** Prints what the target expands to, or throws {@link TargetException} with the one-line reason. */
    public static void main(String[] args) {
        String target = args.length == 0 ? "" : args[0];
        System.setProperty(QemuContainers.IN_BUILD_JVM, "true");
        TargetSpec spec = TargetSpec.parse(target);
        System.out.println("virtio-tck target: " + target + " (" + spec.variants().size() + " variant(s))");
        if (args.length > 1 && args[1] != null && !args[1].isBlank()) {
            KnownDeviations known = KnownDeviations.load(args[1]);
            System.out.println("virtio-tck known deviations of " + known.backend() + ": " + known.deviations().size());
        }
    }
}
