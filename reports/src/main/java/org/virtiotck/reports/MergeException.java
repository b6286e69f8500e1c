package org.virtiotck.reports;

/**
 * A merge input that cannot be used: one line naming the file (or argument) and what is wrong with it. No stack
 * trace, so Maven's exec:java and the script show that line alone.
 */
public final class MergeException extends RuntimeException {
    public MergeException(String message) {
        super(message, null, false, false);
    }
}
