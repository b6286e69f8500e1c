package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.net.NetCtrl;

/** The reference device's receive filter (VIRTIO 1.2 §5.1.6.5.1, §5.1.6.5.2): which mode wins over which. */
class NetRxFilterTest {
    private static final byte[] OWN = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    private static final byte[] OTHER = {0x02, 0x11, 0x22, 0x33, 0x44, 0x56};
    private static final byte[] MULTI = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private final NetRxFilter filter = new NetRxFilter();

    @Test
    void afterResetOnlyOwnAddressAndBroadcastPass() {
        filter.setMode(NetCtrl.RX_PROMISC, true);
        filter.setTable(List.of(OTHER), List.of(MULTI));
        filter.reset();
        assertTrue(filter.passes(OWN, OWN));
        assertTrue(filter.passes(BROADCAST, OWN));
        assertFalse(filter.passes(OTHER, OWN));
        assertFalse(filter.passes(MULTI, OWN));
    }

    @Test
    void tableEntriesPass() {
        filter.setTable(List.of(OTHER), List.of(MULTI));
        assertTrue(filter.passes(OTHER, OWN));
        assertTrue(filter.passes(MULTI, OWN));
    }

    @Test
    void promiscuousModeWinsOverEverySuppression() {
        for (int c = NetCtrl.RX_NOMULTI; c <= NetCtrl.RX_NOBCAST; c++) {
            filter.setMode(c, true);
        }
        filter.setMode(NetCtrl.RX_PROMISC, true);
        for (byte[] to : List.of(OWN, OTHER, MULTI, BROADCAST)) {
            assertTrue(filter.passes(to, OWN));
        }
    }

    @Test
    void suppressionsWinOverTheAllModes() {
        filter.setMode(NetCtrl.RX_ALLMULTI, true);
        filter.setMode(NetCtrl.RX_ALLUNI, true);
        assertTrue(filter.passes(MULTI, OWN));
        assertTrue(filter.passes(OTHER, OWN));
        filter.setMode(NetCtrl.RX_NOMULTI, true);
        filter.setMode(NetCtrl.RX_NOUNI, true);
        filter.setMode(NetCtrl.RX_NOBCAST, true);
        assertFalse(filter.passes(MULTI, OWN));
        assertFalse(filter.passes(OTHER, OWN));
        assertFalse(filter.passes(OWN, OWN));
        assertFalse(filter.passes(BROADCAST, OWN));
    }

    @Test
    void noMultiLeavesBroadcastAlone() {
        filter.setMode(NetCtrl.RX_NOMULTI, true);
        assertTrue(filter.passes(BROADCAST, OWN));
        assertFalse(filter.passes(MULTI, OWN));
    }
}
