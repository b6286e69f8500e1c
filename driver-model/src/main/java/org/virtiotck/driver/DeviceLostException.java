package org.virtiotck.driver;

/**
 * The device went away: its process died or it closed the connection the transport runs over. Like a missed
 * deadline, the probe's verdict is WEDGED: the device stopped answering, and only a restart brings it back.
 */
public class DeviceLostException extends RuntimeException {
    public DeviceLostException(String message) {
        super(message);
    }
}
