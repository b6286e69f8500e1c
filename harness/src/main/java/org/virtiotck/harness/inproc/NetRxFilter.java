package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.driver.net.NetCtrl;

/**
 * Which received frames a net device passes to the driver once CTRL_RX is negotiated (VIRTIO 1.2 §5.1.6.5.1,
 * §5.1.6.5.2), by destination address, in the order QEMU checks them: promiscuous mode passes everything
 * (whatever else is on); broadcast passes unless NOBCAST (even with ALLMULTI on); multicast is dropped with
 * NOMULTI (even with ALLMULTI on), passes with ALLMULTI or a multicast table entry; unicast is dropped with NOUNI
 * (even with ALLUNI on), passes with ALLUNI, to the device's own address or to a unicast table entry. Anything
 * else is dropped, as §5.1.6.5.2.1 recommends.
 *
 * <p>After reset every mode is off and the table is empty (§5.1.6.5.2.1). The spec leaves the modes' initial
 * state open; off is what the recommendation to drop unmatched frames needs.
 */
public final class NetRxFilter {
    private final boolean[] modes = new boolean[NetCtrl.RX_NOBCAST + 1];
    private List<byte[]> unicast = List.of();
    private List<byte[]> multicast = List.of();

    /** Every mode off, the table empty. */
    public synchronized void reset() {
        Arrays.fill(modes, false);
        unicast = List.of();
        multicast = List.of();
    }

    /** Turns an RX class mode on or off; {@code command} is one of the NetCtrl.RX_ values. */
    public synchronized void setMode(int command, boolean on) {
        modes[command] = on;
    }

    public synchronized boolean mode(int command) {
        return modes[command];
    }

    /** Replaces the table (MAC_TABLE_SET). */
    public synchronized void setTable(List<byte[]> unicast, List<byte[]> multicast) {
        this.unicast = copy(unicast);
        this.multicast = copy(multicast);
    }

    public synchronized List<byte[]> unicastTable() {
        return copy(unicast);
    }

    public synchronized List<byte[]> multicastTable() {
        return copy(multicast);
    }

    /** Whether a frame to {@code destination} reaches the driver of a device whose address is {@code own}. */
    public synchronized boolean passes(byte[] destination, byte[] own) {
        if (modes[NetCtrl.RX_PROMISC]) {
            return true;
        }
        if (isBroadcast(destination)) {
            return !modes[NetCtrl.RX_NOBCAST];
        }
        if ((destination[0] & 1) != 0) {
            return !modes[NetCtrl.RX_NOMULTI] && (modes[NetCtrl.RX_ALLMULTI] || contains(multicast, destination));
        }
        return !modes[NetCtrl.RX_NOUNI] && (modes[NetCtrl.RX_ALLUNI] || Arrays.equals(destination, own)
                || contains(unicast, destination));
    }

    private static boolean isBroadcast(byte[] mac) {
        for (byte b : mac) {
            if (b != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(List<byte[]> table, byte[] mac) {
        return table.stream().anyMatch(m -> Arrays.equals(m, mac));
    }

    private static List<byte[]> copy(List<byte[]> table) {
        List<byte[]> c = new ArrayList<>();
        table.forEach(m -> c.add(m.clone()));
        return c;
    }
}
