package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.net.NetControl;
import org.virtiotck.driver.net.NetCtrl;
import org.virtiotck.driver.net.NetQueues;
import org.virtiotck.harness.inproc.DriverRig.Rings;

/** The reference net device's control queue (VIRTIO 1.2 §5.1.6.5): which commands it takes, and their effects. */
class NetControlTest {
    private static final FeatureSet EVERYTHING = FeatureSet.of(Feature.NET_MAC, Feature.NET_STATUS,
            Feature.NET_CTRL_VQ, Feature.NET_CTRL_RX, Feature.NET_CTRL_RX_EXTRA, Feature.NET_CTRL_MAC_ADDR,
            Feature.NET_GUEST_ANNOUNCE, Feature.NET_MQ);
    private static final byte[] NEW_MAC = {0x02, 0x11, 0x22, 0x33, 0x44, 0x66};

    private final NetDevice device = new NetDevice(NetRig.MAC, NetDevice.DEFAULT_MTU);

    private NetControl start(FeatureSet features) {
        DriverRig rig = DriverRig.mmio(device).start(Rings.plain(false), features, NetRig.QUEUE_SIZE);
        return new NetControl(rig.driver, rig.queue(NetQueues.controlq(rig.driver.negotiated(), device.maxPairs())));
    }

    @Test
    void controlQueueFollowsTheQueuePairs() {
        assertEquals(8, NetQueues.controlq(EVERYTHING, 4));
        assertEquals(2, NetQueues.controlq(EVERYTHING.minus(FeatureSet.of(Feature.NET_MQ)), 4));
    }

    @Test
    void validCommandsAreAcknowledgedWithOkAndAUsedLenOfOne() {
        NetControl c = start(EVERYTHING);
        for (int mode = NetCtrl.RX_PROMISC; mode <= NetCtrl.RX_NOBCAST; mode++) {
            assertEquals(new NetControl.Ack(NetCtrl.OK, 1), c.rxMode(mode, true));
        }
        assertEquals(NetCtrl.OK, c.macTableSet(List.of(NEW_MAC), List.of()).value());
        assertEquals(NetCtrl.OK, c.macAddrSet(NEW_MAC).value());
        assertEquals(NetCtrl.OK, c.announceAck().value());
        assertEquals(NetCtrl.OK, c.vqPairsSet(4).value());
        assertEquals(NetCtrl.OK, c.vqPairsSet(1).value());
    }

    @Test
    void unknownOrMalformedCommandsGetErr() {
        NetControl c = start(EVERYTHING);
        assertEquals(NetCtrl.ERR, c.send(9, 0, new byte[0]).value());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_VLAN, 0, new byte[] {1, 0}).value());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_RX, 6, new byte[] {1}).value());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_RX, NetCtrl.RX_PROMISC, new byte[] {2}).value());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_RX, NetCtrl.RX_PROMISC, new byte[0]).value());
        byte[] table = NetCtrl.macTable(List.of(NEW_MAC), List.of());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_MAC, NetCtrl.MAC_TABLE_SET, Arrays.copyOf(table,
                table.length + 1)).value());
        assertEquals(NetCtrl.ERR, c.send(NetCtrl.CLASS_MAC, NetCtrl.MAC_ADDR_SET, new byte[5]).value());
        assertEquals(NetCtrl.ERR, c.vqPairsSet(0).value());
        assertEquals(NetCtrl.ERR, c.vqPairsSet(5).value());
    }

    @Test
    void commandsOfFeaturesNotNegotiatedGetErr() {
        NetControl c = start(FeatureSet.of(Feature.NET_MAC, Feature.NET_CTRL_VQ));
        assertEquals(NetCtrl.ERR, c.rxMode(NetCtrl.RX_PROMISC, true).value());
        assertEquals(NetCtrl.ERR, c.macTableSet(List.of(), List.of()).value());
        assertEquals(NetCtrl.ERR, c.macAddrSet(NEW_MAC).value());
        assertEquals(NetCtrl.ERR, c.announceAck().value());
        assertEquals(NetCtrl.ERR, c.vqPairsSet(2).value());
    }

    @Test
    void macAddrSetChangesConfigUntilReset() {
        NetControl c = start(EVERYTHING);
        c.macAddrSet(NEW_MAC);
        assertArrayEquals(NEW_MAC, Arrays.copyOf(device.config(), NetConfig.MAC_BYTES));
        device.reset();
        assertArrayEquals(NetRig.MAC, Arrays.copyOf(device.config(), NetConfig.MAC_BYTES));
    }

    @Test
    void announceSetsTheBitOnlyWhenNegotiatedAndAckClearsIt() {
        NetControl c = start(EVERYTHING);
        device.wire().announce();
        assertEquals(NetConfig.S_ANNOUNCE, device.config()[NetConfig.STATUS] & NetConfig.S_ANNOUNCE);
        c.announceAck();
        assertEquals(0, device.config()[NetConfig.STATUS] & NetConfig.S_ANNOUNCE);
        device.featuresNegotiated(FeatureSet.of(Feature.NET_STATUS));
        device.wire().announce();
        assertEquals(0, device.config()[NetConfig.STATUS] & NetConfig.S_ANNOUNCE);
    }
}
