package org.virtiotck.harness.target;

/**
 * A target string that cannot be used; the message is one line naming the problem and the accepted forms.
 * It carries no stack trace: it reports bad user input, not a fault in this program.
 */
public final class TargetException extends RuntimeException {
    public TargetException(String message) {
        super(message, null, false, false);
    }
}
