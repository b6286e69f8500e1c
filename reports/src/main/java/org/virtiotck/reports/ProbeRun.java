package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One probe invocation against one target. {@code probe} is "SimpleClassName#method"; {@code detail} and
 * {@code reproduce} may be null (a passing probe usually has neither).
 */
@JsonPropertyOrder({"probe", "displayName", "target", "verdict", "detail", "reproduce"})
public record ProbeRun(String probe, String displayName, String target, Verdict verdict, String detail, String reproduce) {
}
