package org.virtiotck.harness.vhostuser.protocol;

/**
 * The front-end requests this frontend sends (vhost-user.rst, "Front-end message types"), with their codes and
 * the shape of the reply the back-end owes whatever the REPLY_ACK setting.
 */
public enum Request {
    GET_FEATURES(1, Reply.U64),
    SET_FEATURES(2, Reply.NONE),
    SET_OWNER(3, Reply.NONE),
    RESET_OWNER(4, Reply.NONE),
    SET_MEM_TABLE(5, Reply.NONE),
    SET_VRING_NUM(8, Reply.NONE),
    SET_VRING_ADDR(9, Reply.NONE),
    SET_VRING_BASE(10, Reply.NONE),
    GET_VRING_BASE(11, Reply.VRING_STATE),
    SET_VRING_KICK(12, Reply.NONE),
    SET_VRING_CALL(13, Reply.NONE),
    SET_VRING_ERR(14, Reply.NONE),
    GET_PROTOCOL_FEATURES(15, Reply.U64),
    SET_PROTOCOL_FEATURES(16, Reply.NONE),
    GET_QUEUE_NUM(17, Reply.U64),
    SET_VRING_ENABLE(18, Reply.NONE),
    GET_CONFIG(24, Reply.CONFIG),
    SET_CONFIG(25, Reply.NONE),
    RESET_DEVICE(34, Reply.NONE),
    GET_MAX_MEM_SLOTS(36, Reply.U64),
    SET_STATUS(39, Reply.NONE),
    GET_STATUS(40, Reply.U64);

    /** The reply a request always gets; NONE ones are answered only with REPLY_ACK and NEED_REPLY. */
    public enum Reply {
        NONE, U64, VRING_STATE, CONFIG
    }

    private final int code;
    private final Reply reply;

    Request(int code, Reply reply) {
        this.code = code;
        this.reply = reply;
    }

    public int code() {
        return code;
    }

    public Reply reply() {
        return reply;
    }

    /** The request with this code, if this package knows it. */
    public static java.util.Optional<Request> of(int code) {
        for (Request r : values()) {
            if (r.code == code) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }

    /** "GET_FEATURES (1)", or "request 77" for a code this frontend does not send. */
    public static String describe(int code) {
        for (Request r : values()) {
            if (r.code == code) {
                return r.toString();
            }
        }
        return "request " + Integer.toUnsignedString(code);
    }

    @Override
    public String toString() {
        return name() + " (" + code + ")";
    }
}
