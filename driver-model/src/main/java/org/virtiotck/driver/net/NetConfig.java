package org.virtiotck.driver.net;

/**
 * Offsets into struct virtio_net_config and the values of its fields (VIRTIO 1.2 §5.1.4). Fields after {@code mtu}
 * exist only with the features that name them: {@code speed} and {@code duplex} with SPEED_DUPLEX, the RSS fields
 * with RSS or HASH_REPORT.
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
    /** le32, Mbit/s; exists with SPEED_DUPLEX. */
    public static final int SPEED = 12;
    /** u8; exists with SPEED_DUPLEX. */
    public static final int DUPLEX = 16;
    /** u8; exists with RSS or HASH_REPORT. */
    public static final int RSS_MAX_KEY_SIZE = 17;
    /** le16; exists with RSS. */
    public static final int RSS_MAX_INDIRECTION_TABLE_LENGTH = 18;
    /** le32; exists with RSS or HASH_REPORT. */
    public static final int SUPPORTED_HASH_TYPES = 20;
    /** The whole struct. */
    public static final int SIZE = 24;

    /** Bits of {@code status}. */
    public static final int S_LINK_UP = 1;
    public static final int S_ANNOUNCE = 2;

    /** The spec's bounds on {@code mtu} (§5.1.4.1): MUST be within 68..65535, SHOULD be at least 1280. */
    public static final int MTU_MIN = 68;
    public static final int MTU_MAX = 65535;
    public static final int MTU_RECOMMENDED_MIN = 1280;

    /** The spec's bounds on {@code max_virtqueue_pairs} with MQ (§5.1.4.1), also those of VQ_PAIRS_SET (§5.1.6.5.6). */
    public static final int VQ_PAIRS_MIN = 1;
    public static final int VQ_PAIRS_MAX = 0x8000;

    /** {@code speed}: at most this many Mbit/s, or {@link #SPEED_UNKNOWN} (§5.1.4.1). */
    public static final long SPEED_MAX = 0x7fffffffL;
    public static final long SPEED_UNKNOWN = 0xffffffffL;

    /**
     * {@code duplex} values. §5.1.4 calls 0x01 full and 0x00 half, §5.1.4.1 the other way round; Linux and QEMU
     * use 0x01 for full. Either way these three are the only values allowed.
     */
    public static final int DUPLEX_0 = 0x00;
    public static final int DUPLEX_1 = 0x01;
    public static final int DUPLEX_UNKNOWN = 0xff;

    /** Lower bounds on the RSS capabilities (§5.1.4.1). */
    public static final int RSS_MIN_KEY_SIZE = 40;
    public static final int RSS_MIN_INDIRECTION_TABLE_LENGTH = 128;

    /** The "low level ethernet header" that the MTU clauses add to {@code mtu}: two addresses and a type. */
    public static final int ETH_HEADER = 14;

    private NetConfig() {
    }
}
