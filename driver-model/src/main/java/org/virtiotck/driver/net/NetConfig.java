package org.virtiotck.driver.net;

/**
 * Offsets into struct virtio_net_config and the values of its fields (VIRTIO 1.2 §5.1.4). Only the fields up to
 * {@code mtu} are listed: the later ones exist only with features nothing here offers (SPEED_DUPLEX, RSS,
 * HASH_REPORT).
 */
public final class NetConfig {
    public static final int MAC = 0;
    public static final int MAC_BYTES = 6;
    /** le16; exists when STATUS is offered. */
    public static final int STATUS = 6;
    /** le16; only meaningful with MQ or RSS, but it sits before {@code mtu}, so the layout always has it. */
    public static final int MAX_VIRTQUEUE_PAIRS = 8;
    /** le16; exists when MTU is offered. */
    public static final int MTU = 10;
    /** Bytes up to and including {@code mtu}. */
    public static final int SIZE_THROUGH_MTU = 12;

    /** Bits of {@code status}. */
    public static final int S_LINK_UP = 1;
    public static final int S_ANNOUNCE = 2;

    /** The spec's bounds on {@code mtu} (§5.1.4.1): MUST be within 68..65535, SHOULD be at least 1280. */
    public static final int MTU_MIN = 68;
    public static final int MTU_MAX = 65535;
    public static final int MTU_RECOMMENDED_MIN = 1280;

    /** The "low level ethernet header" that the MTU clauses add to {@code mtu}: two addresses and a type. */
    public static final int ETH_HEADER = 14;

    private NetConfig() {
    }
}
