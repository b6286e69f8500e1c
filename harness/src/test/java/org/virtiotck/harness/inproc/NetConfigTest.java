package org.virtiotck.harness.inproc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.net.NetConfig;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.driver.transport.mmio.MmioRegister;
import org.virtiotck.harness.inproc.DriverRig.Rings;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.NetWire;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;

/** Features, configuration space (VIRTIO 1.2 §5.1.3, §5.1.4), link status and far side of the reference net device. */
class NetConfigTest {

    private static byte[] configMac(Transport t) {
        byte[] mac = new byte[NetConfig.MAC_BYTES];
        for (int i = 0; i < mac.length; i++) {
            mac[i] = (byte) t.readConfig(NetConfig.MAC + i, 1);
        }
        return mac;
    }

    @Test
    void offersRingFeaturesTheControlQueueAndNoOffload() {
        assertEquals(FeatureSet.of(Feature.VERSION_1, Feature.RING_PACKED, Feature.INDIRECT_DESC, Feature.EVENT_IDX,
                Feature.IN_ORDER, Feature.NET_MAC, Feature.NET_STATUS, Feature.NET_MTU, Feature.NET_MRG_RXBUF,
                Feature.NET_SPEED_DUPLEX, Feature.NET_CTRL_VQ, Feature.NET_CTRL_RX, Feature.NET_CTRL_RX_EXTRA,
                Feature.NET_CTRL_MAC_ADDR, Feature.NET_GUEST_ANNOUNCE, Feature.NET_MQ),
                new NetDevice(NetRig.MAC, 1500).offeredFeatures());
    }

    @Test
    void hasEveryQueuePairAndAControlQueue() {
        NetRig rig = new NetRig(Rings.plain(false), false);
        assertEquals(DeviceType.NET.id(), rig.transport.deviceId());
        for (int q = 0; q <= 2 * NetDevice.DEFAULT_MAX_PAIRS; q++) {
            assertEquals(NetDevice.MAX_QUEUE_SIZE, rig.transport.queueMaxSize(q));
        }
        assertEquals(0, rig.transport.queueMaxSize(2 * NetDevice.DEFAULT_MAX_PAIRS + 1));
    }

    @Test
    void configHoldsMacLinkUpQueuePairsMtuSpeedAndDuplex() {
        NetRig rig = new NetRig(DriverRig.mmio(new NetDevice(NetRig.MAC, 9000)), Rings.plain(false), false,
                NetRig.QUEUE_SIZE);
        assertArrayEquals(NetRig.MAC, configMac(rig.transport));
        assertEquals(NetConfig.S_LINK_UP, rig.transport.readConfig(NetConfig.STATUS, 2));
        assertEquals(NetDevice.DEFAULT_MAX_PAIRS, rig.transport.readConfig(NetConfig.MAX_VIRTQUEUE_PAIRS, 2));
        assertEquals(9000, rig.transport.readConfig(NetConfig.MTU, 2));
        assertEquals(NetDevice.SPEED_MBPS, rig.transport.readConfig(NetConfig.SPEED, 4));
        assertEquals(NetConfig.DUPLEX_1, rig.transport.readConfig(NetConfig.DUPLEX, 1));
        assertEquals(NetConfig.SIZE, rig.device.config().length);
    }

    @Test
    void rejectsAnMtuOutsideTheSpecRangeAndAMacOfTheWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new NetDevice(NetRig.MAC, 67));
        assertThrows(IllegalArgumentException.class, () -> new NetDevice(NetRig.MAC, 65536));
        assertThrows(IllegalArgumentException.class, () -> new NetDevice(new byte[5], 1500));
        assertEquals(65535, new NetDevice(NetRig.MAC, 65535).mtu());
        assertThrows(IllegalArgumentException.class, () -> new NetDevice(NetRig.MAC, 1500, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new NetDevice(NetRig.MAC, 1500, false, 0x8001));
    }

    @ParameterizedTest(name = "pci={0}")
    @ValueSource(booleans = {false, true})
    void linkDownAndUpChangeStatusWithANewGenerationAndAConfigInterrupt(boolean pci) {
        NetDevice device = new NetDevice(NetRig.MAC, NetDevice.DEFAULT_MTU);
        NetRig rig = new NetRig(pci ? DriverRig.pci(device) : DriverRig.mmio(device), Rings.plain(false), false,
                NetRig.QUEUE_SIZE);
        rig.transport.takeInterrupts();
        int generation = rig.transport.configGeneration();

        rig.wire.setLinkUp(false);
        assertEquals(0, rig.transport.readConfig(NetConfig.STATUS, 2));
        assertTrue(rig.transport.configGeneration() != generation, "a new config generation");
        assertEquals(MmioRegister.INT_CONFIG_CHANGE, rig.transport.takeInterrupts());

        int down = rig.transport.configGeneration();
        rig.wire.setLinkUp(false);
        assertEquals(down, rig.transport.configGeneration(), "no change, no new generation");
        assertEquals(0, rig.transport.takeInterrupts());

        rig.wire.setLinkUp(true);
        assertEquals(NetConfig.S_LINK_UP, rig.transport.readConfig(NetConfig.STATUS, 2));
        assertTrue(rig.transport.configGeneration() != down);
        assertEquals(MmioRegister.INT_CONFIG_CHANGE, rig.transport.takeInterrupts());
        assertArrayEquals(NetRig.MAC, configMac(rig.transport), "the other fields stay");
    }

    @Test
    void linkStateIsTheWiresAndSurvivesAReset() {
        NetRig rig = new NetRig(Rings.plain(false), false);
        rig.wire.setLinkUp(false);
        rig.driver.start(NetRig.features(Rings.plain(false), false), 2, NetRig.QUEUE_SIZE);
        assertEquals(0, rig.transport.readConfig(NetConfig.STATUS, 2));
    }

    @Test
    void farSideIsTheWireAndTellsTheConfiguredMacAndMtu() {
        NetDevice device = new NetDevice(NetRig.MAC, 1400);
        NetWire wire = device.farSide(NetWire.class).orElseThrow();
        assertSame(device.wire(), wire);
        assertTrue(device.farSide(BlkImage.class).isEmpty());
        assertArrayEquals(NetRig.MAC, wire.configuredMac().orElseThrow());
        assertEquals(1400, wire.configuredMtu().orElseThrow());
        assertTrue(wire.canSetLink());
    }

    @Test
    void providerIsTheReferenceNetDeviceAndASessionHandsOutItsWire() {
        InprocDeviceProvider provider = InprocDevices.byName(NetDeviceProvider.NAME).orElseThrow();
        assertTrue(provider.reference());
        assertEquals(DeviceType.NET, provider.type());
        assertEquals(DeviceType.NET, provider.create().type());
        for (String transport : new String[] {"mmio", "pci"}) {
            try (Session session = Sessions.open(TargetSpec.parse("inproc:net?transport=" + transport + "&ring=split")
                    .variants().get(0))) {
                NetWire wire = session.farSide(NetWire.class).orElseThrow();
                assertArrayEquals(NetDeviceProvider.MAC, wire.configuredMac().orElseThrow());
                assertArrayEquals(NetDeviceProvider.MAC, configMac(session.transport()));
                assertEquals(NetDeviceProvider.MTU, session.transport().readConfig(NetConfig.MTU, 2));
            }
        }
    }
}
