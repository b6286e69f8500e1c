package org.virtiotck.harness.junit;

/**
 * Verdicts a probe states itself, beyond the PASS of a body that returns and the FAIL of a {@link Check}. For a
 * malformed request the probe made on purpose, REJECT: the device refused it safely and served a well-formed request
 * afterwards. It ends the probe, as an assertion would, and does not fail the build.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** Ends the probe in REJECT; {@code how} says how the device refused and how it was found working again. */
    public static RejectedSafely reject(String how) {
        throw new RejectedSafely(how);
    }
}
