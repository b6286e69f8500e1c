package org.virtiotck.fuzz;

/** Which way a stream or net request moves bytes; TRANSMIT comes first, so requests shrink toward it. */
public enum Direction {
    /** Driver to device: a device-readable chain. */
    TRANSMIT,
    /** Device to driver: a device-writable chain. */
    RECEIVE
}
