package org.virtiotck.harness.vhostuser.protocol;

/** Message payloads as a trace shows them: the length, then the first bytes in hex. */
final class Hex {
    /** Bytes shown of a payload; a memory table or a config read is cut there. */
    static final int SHOWN = 48;

    private Hex() {
    }

    static String bytes(byte[] b) {
        StringBuilder sb = new StringBuilder().append(b.length).append(" bytes");
        if (b.length == 0) {
            return sb.toString();
        }
        sb.append(' ');
        for (int i = 0; i < Math.min(b.length, SHOWN); i++) {
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return b.length > SHOWN ? sb.append("...").toString() : sb.toString();
    }
}
