package org.virtiotck.driver.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The commands of a net device's control virtqueue (VIRTIO 1.2 §5.1.6.5): each buffer holds a class byte, a
 * command byte and command-specific data for the device to read, then one ack byte for it to write.
 */
public final class NetCtrl {
    /** ack values. */
    public static final int OK = 0;
    public static final int ERR = 1;

    /** Class RX (§5.1.6.5.1): each command takes one byte, 0 (off) or 1 (on). */
    public static final int CLASS_RX = 0;
    public static final int RX_PROMISC = 0;
    public static final int RX_ALLMULTI = 1;
    public static final int RX_ALLUNI = 2;
    public static final int RX_NOMULTI = 3;
    public static final int RX_NOUNI = 4;
    public static final int RX_NOBCAST = 5;

    /** Class MAC (§5.1.6.5.2). */
    public static final int CLASS_MAC = 1;
    public static final int MAC_TABLE_SET = 0;
    public static final int MAC_ADDR_SET = 1;

    /** Class VLAN (§5.1.6.5.3). */
    public static final int CLASS_VLAN = 2;

    /** Class ANNOUNCE (§5.1.6.5.4). */
    public static final int CLASS_ANNOUNCE = 3;
    public static final int ANNOUNCE_ACK = 0;

    /** Class MQ (§5.1.6.5.5); VQ_PAIRS_SET takes an le16 virtqueue_pairs. */
    public static final int CLASS_MQ = 4;
    public static final int MQ_VQ_PAIRS_SET = 0;

    private NetCtrl() {
    }

    /** The name of an RX class command, for messages. */
    public static String rxName(int command) {
        return switch (command) {
            case RX_PROMISC -> "RX_PROMISC";
            case RX_ALLMULTI -> "RX_ALLMULTI";
            case RX_ALLUNI -> "RX_ALLUNI";
            case RX_NOMULTI -> "RX_NOMULTI";
            case RX_NOUNI -> "RX_NOUNI";
            case RX_NOBCAST -> "RX_NOBCAST";
            default -> "RX command " + command;
        };
    }

    /**
     * The data of MAC_TABLE_SET: an le32 count and that many unicast addresses, then an le32 count and that many
     * multicast addresses (§5.1.6.5.2).
     */
    public static byte[] macTable(List<byte[]> unicast, List<byte[]> multicast) {
        ByteBuffer b = ByteBuffer.allocate(8 + 6 * (unicast.size() + multicast.size()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (List<byte[]> table : java.util.List.of(unicast, multicast)) {
            b.putInt(table.size());
            table.forEach(b::put);
        }
        return b.array();
    }
}
