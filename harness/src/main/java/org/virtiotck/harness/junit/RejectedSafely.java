package org.virtiotck.harness.junit;

/**
 * Thrown by {@link Verdicts#reject} when a probe's deliberately malformed request was refused safely; the verdict
 * interceptor turns it into REJECT, a successful test. Not an error: it only carries the probe's account of how the
 * device refused.
 */
public final class RejectedSafely extends RuntimeException {
    public RejectedSafely(String how) {
        super(how, null, false, false);
    }
}
