package org.virtiotck.reports;

/** Requirement level of a clause, as the spec words it (RFC 2119). */
public enum Level {
    MUST,
    SHOULD
}
