package org.virtiotck.harness.vhostuser.protocol;

/**
 * The back-end broke the vhost-user message protocol: a reply with the wrong request code, flags or size,
 * descriptors nobody asked for, bytes nobody asked for. The message carries the raw values. The connection
 * is unusable afterwards, because the byte stream can no longer be trusted to be in step.
 */
public final class VhostUserProtocolException extends RuntimeException {
    public VhostUserProtocolException(String message) {
        super(message);
    }
}
