package org.virtiotck.harness.vhostuser.backend;

/**
 * One deviation from vhost-user.rst planted in {@link VhostUserBackEnd}, so a test can show that the probe of
 * that rule FAILs on it while the faithful back-end PASSes.
 */
public enum BackEndFault {
    /** GET_VRING_BASE answers the next available index plus one. */
    VRING_BASE_OFF_BY_ONE,
    /** Rings are processed on a kick even while disabled by SET_VRING_ENABLE or stopped by GET_VRING_BASE. */
    PROCESSES_STOPPED_RING,
    /** SET_VRING_NUM sent with NEED_REPLY gets no REPLY_ACK (every other request still does). */
    NO_ACK_FOR_SET_VRING_NUM,
    /** RESET_DEVICE resets the device but leaves every ring running. */
    RESET_KEEPS_RINGS,
    /** SET_VRING_KICK without a descriptor is accepted, but the ring is never polled. */
    NEVER_POLLS,
    /** A kick already pending on the descriptor SET_VRING_KICK brings is consumed and forgotten. */
    DROPS_EARLY_KICK,
    /** GET_CONFIG answers one byte fewer than asked. */
    SHORT_CONFIG_REPLY,
    /** Once a frontend disconnects while a ring runs, new connections are accepted but never answered. */
    HANGS_AFTER_ACTIVE_DISCONNECT,
    /** Rings are processed once started, as if enabled, although PROTOCOL_FEATURES was negotiated. */
    RINGS_START_ENABLED,
    /** The first kick of a ring makes the back-end drop the connection, as a back-end that crashed would. */
    DIES_ON_KICK,
    /** The first kick of a ring makes the back-end stop answering anything while keeping the connection. */
    HANGS_ON_KICK
}
