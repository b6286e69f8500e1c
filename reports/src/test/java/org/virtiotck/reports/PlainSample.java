package org.virtiotck.reports;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/** Ordinary unit tests, no @Clause: a run of only these must leave no report behind. */
public class PlainSample {
    @Test
    void passes() {
    }

    @Test
    void fails() {
        fail("ordinary failure");
    }
}
