package org.virtiotck.harness.junit;

import java.util.Arrays;
import java.util.Objects;

/** Assertions worded for devices: every failure names what was checked, what was expected and what the device did. */
public final class Check {
    private Check() {
    }

    public static void equal(String what, Object expected, Object observed) {
        if (!Objects.equals(expected, observed)) {
            throw new ProbeFailure(what + ": expected " + expected + ", device did " + observed);
        }
    }

    public static void that(boolean holds, String what, String expected, String observed) {
        if (!holds) {
            throw new ProbeFailure(what + ": expected " + expected + ", device did " + observed);
        }
    }

    /** Compares bytes and names the first differing offset rather than dumping both arrays. */
    public static void sameBytes(String what, byte[] expected, byte[] observed) {
        int at = Arrays.mismatch(expected, observed);
        if (at >= 0) {
            throw new ProbeFailure(String.format("%s: expected %d bytes equal to the reference, device differs at offset %d"
                    + " (expected 0x%02x, device gave %s)", what, expected.length, at,
                    at < expected.length ? expected[at] & 0xff : -1,
                    at < observed.length ? String.format("0x%02x", observed[at] & 0xff) : "no byte (length " + observed.length + ")"));
        }
    }
}
