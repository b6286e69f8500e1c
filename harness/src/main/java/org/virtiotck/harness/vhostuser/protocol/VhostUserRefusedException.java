package org.virtiotck.harness.vhostuser.protocol;

/**
 * The back-end answered a request and said no: a non-zero REPLY_ACK, or an empty GET_CONFIG reply. The protocol
 * allows this, so the connection stays usable; whether the refusal was right is for the caller to judge.
 */
public final class VhostUserRefusedException extends RuntimeException {
    private final Request request;
    private final long value;

    public VhostUserRefusedException(Request request, long value, String message) {
        super(message);
        this.request = request;
        this.value = value;
    }

    public Request request() {
        return request;
    }

    /** The raw non-zero REPLY_ACK value, or 0 for an empty reply. */
    public long value() {
        return value;
    }
}
