package org.virtiotck.harness.inproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetCtrl;

/**
 * The reference net device's control commands (VIRTIO 1.2 §5.1.6.5) and the device state they set: the receive
 * filter's modes and MAC table, {@code mac}, the ANNOUNCE bit of {@code status}, and the queue pairs in use.
 * A command is VIRTIO_NET_OK when its feature was negotiated and its data has the command's size and values,
 * VIRTIO_NET_ERR otherwise (unknown class or command too). Not thread-safe: the device calls it under its own lock.
 */
final class NetCtrlHandler {
    private final byte[] mac;
    private final int maxPairs;
    private final HostLink host;
    private final NetRxFilter filter = new NetRxFilter();
    private int pairsInUse = 1;
    private byte[] currentMac;
    private boolean announcing;

    /** {@code mac} is the configured address, which a reset restores; changes of config go through {@code host}. */
    NetCtrlHandler(byte[] mac, int maxPairs, HostLink host) {
        this.mac = mac.clone();
        this.currentMac = mac.clone();
        this.maxPairs = maxPairs;
        this.host = host;
    }

    NetRxFilter filter() {
        return filter;
    }

    /** {@code mac} as config space shows it; not a copy. */
    byte[] currentMac() {
        return currentMac;
    }

    boolean announcing() {
        return announcing;
    }

    /** Sets ANNOUNCE; the caller makes that a configuration change. */
    void announce() {
        announcing = true;
    }

    int pairsInUse() {
        return pairsInUse;
    }

    /** The state after a device reset: one pair, the configured mac, no announcement, the filter cleared. */
    void reset() {
        pairsInUse = 1;
        currentMac = mac.clone();
        announcing = false;
        filter.reset();
    }

    /** Carries out one command with the features {@code negotiated}: {@link NetCtrl#OK} or {@link NetCtrl#ERR}. */
    int execute(NetCommand c, FeatureSet negotiated) {
        boolean done = switch (c.commandClass()) {
            case NetCtrl.CLASS_RX -> rxMode(negotiated, c.command(), c.data());
            case NetCtrl.CLASS_MAC -> c.command() == NetCtrl.MAC_TABLE_SET ? macTable(negotiated, c.data())
                    : c.command() == NetCtrl.MAC_ADDR_SET && macAddress(negotiated, c.data());
            case NetCtrl.CLASS_ANNOUNCE -> c.command() == NetCtrl.ANNOUNCE_ACK && announceAck(negotiated, c.data());
            case NetCtrl.CLASS_MQ -> c.command() == NetCtrl.MQ_VQ_PAIRS_SET && vqPairs(negotiated, c.data());
            default -> false;
        };
        return done ? NetCtrl.OK : NetCtrl.ERR;
    }

    /** PROMISC and ALLMULTI need CTRL_RX, the other four CTRL_RX_EXTRA; the data is one byte, 0 or 1. */
    private boolean rxMode(FeatureSet negotiated, int command, byte[] data) {
        Feature needed = command <= NetCtrl.RX_ALLMULTI ? Feature.NET_CTRL_RX : Feature.NET_CTRL_RX_EXTRA;
        if (command > NetCtrl.RX_NOBCAST || !negotiated.has(needed) || data.length != 1 || (data[0] & 0xfe) != 0) {
            return false;
        }
        filter.setMode(command, data[0] == 1);
        return true;
    }

    /** Two le32-counted lists of addresses, unicast then multicast, and nothing after them. */
    private boolean macTable(FeatureSet negotiated, byte[] data) {
        if (!negotiated.has(Feature.NET_CTRL_RX)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        List<List<byte[]>> tables = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            if (b.remaining() < 4) {
                return false;
            }
            long entries = Integer.toUnsignedLong(b.getInt());
            if (entries > b.remaining() / NetConfig.MAC_BYTES) {
                return false;
            }
            List<byte[]> table = new ArrayList<>();
            for (long i = 0; i < entries; i++) {
                byte[] m = new byte[NetConfig.MAC_BYTES];
                b.get(m);
                table.add(m);
            }
            tables.add(table);
        }
        if (b.hasRemaining()) {
            return false;
        }
        filter.setTable(tables.get(0), tables.get(1));
        return true;
    }

    /** A 6-byte address, with CTRL_MAC_ADDR; it goes to config space at once (§5.1.6.5.2.1). */
    private boolean macAddress(FeatureSet negotiated, byte[] data) {
        if (!negotiated.has(Feature.NET_CTRL_MAC_ADDR) || data.length != NetConfig.MAC_BYTES) {
            return false;
        }
        host.changeConfig(() -> currentMac = data.clone());
        return true;
    }

    /** Clears ANNOUNCE before the buffer is used (§5.1.6.5.4.2). */
    private boolean announceAck(FeatureSet negotiated, byte[] data) {
        if (!negotiated.has(Feature.NET_GUEST_ANNOUNCE) || data.length != 0) {
            return false;
        }
        if (announcing) {
            host.changeConfig(() -> announcing = false);
        }
        return true;
    }

    /** An le16 within 1..max_virtqueue_pairs (§5.1.6.5.6.1 forbids others), with MQ. */
    private boolean vqPairs(FeatureSet negotiated, byte[] data) {
        if (!negotiated.has(Feature.NET_MQ) || data.length != 2) {
            return false;
        }
        int pairs = (data[0] & 0xff) | (data[1] & 0xff) << 8;
        if (pairs < NetConfig.VQ_PAIRS_MIN || pairs > maxPairs) {
            return false;
        }
        pairsInUse = pairs;
        return true;
    }
}
