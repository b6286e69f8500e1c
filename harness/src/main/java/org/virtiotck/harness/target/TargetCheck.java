package org.virtiotck.harness.target;

/**
 * Validates a target string before any probe runs: the build calls it in-process first, so a bad
 * {@code -Dtarget} costs one line and no test time.
 */
public final class TargetCheck {
    private TargetCheck() {
    }

    /** Prints what the target expands to, or throws {@link TargetException} with the one-line reason. */
    public static void main(String[] args) {
        String target = args.length == 0 ? "" : args[0];
        TargetSpec spec = TargetSpec.parse(target);
        System.out.println("virtio-tck target: " + target + " (" + spec.variants().size() + " variant(s))");
    }
}
