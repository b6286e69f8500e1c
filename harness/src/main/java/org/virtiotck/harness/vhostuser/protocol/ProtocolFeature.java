package org.virtiotck.harness.vhostuser.protocol;

import java.util.ArrayList;
import java.util.List;

/** Protocol feature bits of GET/SET_PROTOCOL_FEATURES (vhost-user.rst, "Protocol features"). */
public enum ProtocolFeature {
    MQ(0),
    LOG_SHMFD(1),
    RARP(2),
    REPLY_ACK(3),
    NET_MTU(4),
    BACKEND_REQ(5),
    CROSS_ENDIAN(6),
    CRYPTO_SESSION(7),
    PAGEFAULT(8),
    CONFIG(9),
    BACKEND_SEND_FD(10),
    HOST_NOTIFIER(11),
    INFLIGHT_SHMFD(12),
    RESET_DEVICE(13),
    INBAND_NOTIFICATIONS(14),
    CONFIGURE_MEM_SLOTS(15),
    STATUS(16);

    /** The virtio feature bit (UNUSED in VIRTIO 1.x) by which a back-end says it has protocol features. */
    public static final int VHOST_USER_F_PROTOCOL_FEATURES = 30;

    private final int bit;

    ProtocolFeature(int bit) {
        this.bit = bit;
    }

    public long mask() {
        return 1L << bit;
    }

    public boolean in(long features) {
        return (features & mask()) != 0;
    }

    public static long maskOf(ProtocolFeature... features) {
        long m = 0;
        for (ProtocolFeature f : features) {
            m |= f.mask();
        }
        return m;
    }

    /** "0x10209 (MQ|REPLY_ACK|CONFIG|STATUS)", unknown bits by number. */
    public static String describe(long features) {
        List<String> names = new ArrayList<>();
        long known = 0;
        for (ProtocolFeature f : values()) {
            if (f.in(features)) {
                names.add(f.name());
            }
            known |= f.mask();
        }
        for (int bit = 0; bit < 64; bit++) {
            if ((features & ~known & (1L << bit)) != 0) {
                names.add("bit" + bit);
            }
        }
        return "0x" + Long.toHexString(features) + " (" + (names.isEmpty() ? "none" : String.join("|", names)) + ")";
    }
}
