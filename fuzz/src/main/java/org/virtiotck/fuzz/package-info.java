/**
 * Fuzzing of targets with generated request plans (DESIGN.md §8): a plan is run against a session opened from a
 * target string and judged by oracles; the outcome is a list of findings, empty when the device behaved.
 */
package org.virtiotck.fuzz;
