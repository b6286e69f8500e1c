package org.virtiotck.harness.junit;

/** The device broke the clause a probe checks; the message says what was expected and what the device did. */
public final class ProbeFailure extends AssertionError {
    public ProbeFailure(String message) {
        super(message);
    }
}
