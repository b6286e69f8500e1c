package org.virtiotck.harness.vhostuser.protocol;

import org.virtiotck.driver.DeviceLostException;

/** The back-end closed the connection (or reset it) while the frontend was waiting for or sending a message. */
public final class VhostUserDisconnectedException extends DeviceLostException {
    public VhostUserDisconnectedException(String message) {
        super(message);
    }
}
