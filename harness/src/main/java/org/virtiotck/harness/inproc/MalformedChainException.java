package org.virtiotck.harness.inproc;

/**
 * The driver placed something on a virtqueue that the device cannot use: a broken descriptor chain, an
 * available index that jumped too far, or a request without the framing its device type needs. The
 * message carries the raw values so that a report can show what the driver wrote.
 */
public final class MalformedChainException extends RuntimeException {

    public MalformedChainException(String message) {
        super(message);
    }

    static MalformedChainException of(String format, Object... args) {
        return new MalformedChainException(String.format(format, args));
    }
}
