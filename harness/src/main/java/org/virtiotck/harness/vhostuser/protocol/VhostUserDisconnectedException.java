package org.virtiotck.harness.vhostuser.protocol;

/** The back-end closed the connection (or reset it) while the frontend was waiting for or sending a message. */
public final class VhostUserDisconnectedException extends RuntimeException {
    public VhostUserDisconnectedException(String message) {
        super(message);
    }
}
