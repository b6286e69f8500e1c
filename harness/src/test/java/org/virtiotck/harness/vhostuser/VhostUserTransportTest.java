package org.virtiotck.harness.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.ConfigSpaceUnavailableException;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.harness.vhostuser.protocol.FakeBackEnd;
import org.virtiotck.harness.vhostuser.protocol.MessageHeader;
import org.virtiotck.harness.vhostuser.protocol.Payload;
import org.virtiotck.harness.vhostuser.protocol.ProtocolFeature;
import org.virtiotck.harness.vhostuser.protocol.Request;
import org.virtiotck.harness.vhostuser.protocol.VringState;

/** The message sequence the transport sends, against a fake back-end that acks everything. */
class VhostUserTransportTest {
    private static final long BASE = 0x4000_0000L;
    private static final long OFFERED = 1L << 32 | 1L << 30 | 1L << 26 | 1L << 29 | 1L << 9;
    private static final long PROTOCOL = ProtocolFeature.maskOf(ProtocolFeature.REPLY_ACK, ProtocolFeature.STATUS,
            ProtocolFeature.CONFIG, ProtocolFeature.BACKEND_REQ);

    /** A back-end that offers OFFERED and PROTOCOL, acks what needs it and serves config bytes 0, 1, 2... */
    private static byte[] backEnd(FakeBackEnd.Received r) {
        int code = r.header().request();
        if (code == Request.GET_FEATURES.code()) {
            return FakeBackEnd.ok(r, Payload.u64(OFFERED));
        }
        if (code == Request.GET_PROTOCOL_FEATURES.code()) {
            return FakeBackEnd.ok(r, Payload.u64(PROTOCOL));
        }
        if (code == Request.GET_VRING_BASE.code()) {
            return FakeBackEnd.ok(r, new VringState(Payload.wrap(r.payload()).getInt(), 7).encode());
        }
        if (code == Request.GET_CONFIG.code()) {
            byte[] reply = r.payload().clone();
            for (int i = 12; i < reply.length; i++) {
                reply[i] = (byte) (i - 12);
            }
            return FakeBackEnd.ok(r, reply);
        }
        return (r.header().flags() & MessageHeader.NEED_REPLY) != 0 ? FakeBackEnd.ok(r, Payload.u64(0)) : new byte[0];
    }

    private static List<String> drain(FakeBackEnd b, int n) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(Request.describe(b.next().header().request()).replaceAll(" \\(\\d+\\)", ""));
        }
        return names;
    }

    @Test
    void setupHandsTheRingsOverAtDriverOkInUserAddressesAndHidesVhostBits() throws Exception {
        try (FakeBackEnd b = FakeBackEnd.start(VhostUserTransportTest::backEnd);
                MemfdGuestMemory mem = MemfdGuestMemory.create(BASE, 1 << 20);
                VhostUserTransport t = VhostUserTransport.open(b.connection(1000), mem, 2, 1, 64)) {
            assertEquals(List.of("GET_FEATURES", "GET_PROTOCOL_FEATURES"), drain(b, 2));
            FakeBackEnd.Received setProtocol = b.next();
            assertEquals(ProtocolFeature.maskOf(ProtocolFeature.REPLY_ACK, ProtocolFeature.STATUS, ProtocolFeature.CONFIG),
                    Payload.u64(setProtocol.payload()), "BACKEND_REQ is not acknowledged");
            assertEquals(List.of("SET_OWNER"), drain(b, 1));

            FeatureSet seen = t.deviceFeatures();
            assertFalse(seen.has(30));
            assertFalse(seen.has(26));
            assertTrue(seen.has(Feature.VERSION_1));
            drain(b, 1);
            VirtioDriver d = new VirtioDriver(t, new Allocator(mem, BASE, mem.size(), 64), java.time.Duration.ofSeconds(1));
            d.negotiate(FeatureSet.of(Feature.EVENT_IDX));
            assertEquals(List.of("SET_STATUS", "SET_STATUS", "SET_STATUS", "GET_FEATURES"), drain(b, 4));
            FakeBackEnd.Received setFeatures = b.next();
            assertEquals(1L << 32 | 1L << 30 | 1L << 29, Payload.u64(setFeatures.payload()), "bit 30 goes back, bit 26 does not");
            assertEquals(MessageHeader.VERSION | MessageHeader.NEED_REPLY, setFeatures.header().flags());
            FakeBackEnd.Received featuresOk = b.next();
            assertEquals(0xb, Payload.u64(featuresOk.payload()));
            drain(b, 1);

            Virtqueue q = d.setupQueue(0, 64);
            d.driverOk();
            FakeBackEnd.Received table = b.next();
            assertEquals(Request.SET_MEM_TABLE.code(), table.header().request());
            assertEquals(2, table.fds());
            assertEquals(List.of("SET_VRING_NUM", "SET_VRING_BASE"), drain(b, 2));
            FakeBackEnd.Received addr = b.next();
            var a = Payload.wrap(addr.payload());
            assertEquals(0, a.getInt());
            a.getInt();
            assertEquals(mem.userAddress(q.descriptorArea(), 16), a.getLong());
            assertEquals(mem.userAddress(q.deviceArea(), 8), a.getLong());
            assertEquals(mem.userAddress(q.driverArea(), 8), a.getLong());
            assertEquals(List.of("SET_VRING_CALL", "SET_VRING_ERR", "SET_VRING_KICK", "SET_VRING_ENABLE", "SET_STATUS"), drain(b, 5));
            assertEquals(DeviceStatus.DRIVER_OK, t.status() & DeviceStatus.DRIVER_OK);

            assertEquals(0x0504, t.readConfig(4, 2));
            drain(b, 1);

            d.reset();
            assertEquals(List.of("SET_VRING_ENABLE", "GET_VRING_BASE", "SET_STATUS"), drain(b, 3));
            assertEquals(0, t.status());
        }
    }

    @Test
    void withoutTheConfigProtocolFeatureTheConfigurationIsUnavailableNotZero() throws Exception {
        java.util.function.Function<FakeBackEnd.Received, byte[]> noConfig = r -> r.header().request() == Request.GET_PROTOCOL_FEATURES.code()
                ? FakeBackEnd.ok(r, Payload.u64(ProtocolFeature.maskOf(ProtocolFeature.REPLY_ACK))) : backEnd(r);
        try (FakeBackEnd b = FakeBackEnd.start(noConfig);
                MemfdGuestMemory mem = MemfdGuestMemory.create(BASE, 1 << 20);
                VhostUserTransport t = VhostUserTransport.open(b.connection(1000), mem, 2, 1, 64)) {
            ConfigSpaceUnavailableException e = assertThrows(ConfigSpaceUnavailableException.class,
                    () -> t.readConfig(0, 4));
            assertTrue(e.getMessage().contains("CONFIG protocol feature"), e.getMessage());
            assertThrows(ConfigSpaceUnavailableException.class, () -> t.writeConfig(0, 1, 1));
        }
    }

    @Test
    void featuresOkIsRefusedForABitTheBackEndDidNotOffer() throws Exception {
        try (FakeBackEnd b = FakeBackEnd.start(VhostUserTransportTest::backEnd);
                MemfdGuestMemory mem = MemfdGuestMemory.create(BASE, 1 << 20);
                VhostUserTransport t = VhostUserTransport.open(b.connection(1000), mem, 2, 1, 64)) {
            t.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
            t.setDriverFeatures(FeatureSet.ofBits(1L << 32 | 1L << 5));
            t.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
            assertEquals(0, t.status() & DeviceStatus.FEATURES_OK);
            t.setDriverFeatures(FeatureSet.NONE.with(127));
            t.setStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
            assertEquals(0, t.status() & DeviceStatus.FEATURES_OK);
        }
    }
}
