package org.virtiotck.driver.transport;

/**
 * The transport gives the driver no access to the device-specific configuration space: a vhost-user back-end
 * without the CONFIG protocol feature, whose configuration a real frontend (QEMU) would keep itself. A probe that
 * needs the configuration cannot judge the device there: its verdict is SKIP, never a FAIL for values never read.
 */
public final class ConfigSpaceUnavailableException extends RuntimeException {
    public ConfigSpaceUnavailableException(String message) {
        super(message);
    }
}
