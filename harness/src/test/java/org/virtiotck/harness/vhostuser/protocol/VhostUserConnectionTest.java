package org.virtiotck.harness.vhostuser.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.harness.vhostuser.linux.EventFd;

class VhostUserConnectionTest {

    private static FakeBackEnd answering(java.util.function.Function<FakeBackEnd.Received, byte[]> script) {
        return FakeBackEnd.start(script);
    }

    @Test
    void getFeaturesSendsAnEmptyVersion1RequestAndReadsTheU64() throws Exception {
        try (FakeBackEnd b = answering(r -> FakeBackEnd.ok(r, Payload.u64(0x1_4000_0000L)))) {
            VhostUserConnection c = b.connection(1000);
            assertEquals(0x1_4000_0000L, c.getFeatures());
            FakeBackEnd.Received r = b.next();
            assertEquals(new MessageHeader(1, 1, 0), r.header());
        }
    }

    @Test
    void aReplyWithTheWrongRequestCodeNamesTheRawValues() throws Exception {
        try (FakeBackEnd b = answering(r -> FakeBackEnd.reply(2, 0x5, Payload.u64(1)))) {
            VhostUserConnection c = b.connection(1000);
            var e = assertThrows(VhostUserProtocolException.class, c::getFeatures);
            assertTrue(e.getMessage().contains("reply to GET_FEATURES (1) has request code 2 (SET_FEATURES (2))"), e.getMessage());
            var after = assertThrows(IllegalStateException.class, c::getFeatures);
            assertTrue(after.getMessage().contains("unusable"), after.getMessage());
        }
    }

    @Test
    void aReplyWithoutTheReplyFlagIsRejected() throws Exception {
        try (FakeBackEnd b = answering(r -> FakeBackEnd.reply(1, 0x1, Payload.u64(1)))) {
            var e = assertThrows(VhostUserProtocolException.class, b.connection(1000)::getFeatures);
            assertTrue(e.getMessage().contains("flags 0x1, expected 0x5"), e.getMessage());
        }
    }

    @Test
    void aReplyOfTheWrongSizeIsRejectedBeforeItsPayloadIsRead() throws Exception {
        try (FakeBackEnd b = answering(r -> FakeBackEnd.reply(1, 0x5, new byte[4]))) {
            var e = assertThrows(VhostUserProtocolException.class, b.connection(1000)::getFeatures);
            assertTrue(e.getMessage().contains("payload size 4, expected 8"), e.getMessage());
        }
        try (FakeBackEnd b = answering(r -> new MessageHeader(1, 0x5, -1).encode())) {
            var e = assertThrows(VhostUserProtocolException.class, b.connection(1000)::getFeatures);
            assertTrue(e.getMessage().contains("declares a payload of 4294967295 bytes"), e.getMessage());
        }
    }

    @Test
    void aBackEndThatHangsGivesATimeoutNotAHang() throws Exception {
        try (FakeBackEnd b = answering(r -> new byte[0])) {
            long start = System.nanoTime();
            var e = assertThrows(DeviceTimeoutException.class, b.connection(100)::getFeatures);
            assertTrue(System.nanoTime() - start < 2_000_000_000L);
            assertTrue(e.getMessage().contains("reply to GET_FEATURES (1): header (0 of 12 bytes arrived) on fake within 100 ms"),
                    e.getMessage());
        }
    }

    @Test
    void aBackEndThatClosesMidReplyIsADisconnect() throws Exception {
        try (FakeBackEnd b = answering(r -> null)) {
            var e = assertThrows(VhostUserDisconnectedException.class, b.connection(1000)::getFeatures);
            assertTrue(e.getMessage().contains("closed the connection after 0 of 12 bytes"), e.getMessage());
        }
        try (FakeBackEnd b = answering(r -> java.util.Arrays.copyOf(FakeBackEnd.ok(r, Payload.u64(1)), 15))) {
            VhostUserConnection c = b.connection(1000);
            Thread closer = new Thread(() -> {
                try {
                    b.next();
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                }
                b.socket().close();
            });
            closer.start();
            var e = assertThrows(VhostUserDisconnectedException.class, c::getFeatures);
            assertTrue(e.getMessage().contains("after 3 of 8 bytes of the reply to GET_FEATURES (1): 8-byte payload"), e.getMessage());
            closer.join();
        }
    }

    @Test
    void descriptorsInAReplyAreClosedAndReported() throws Exception {
        long before = openFds();
        try (FakeBackEnd b = answering(r -> new byte[0]); EventFd stray = EventFd.create("stray")) {
            VhostUserConnection c = b.connection(1000);
            Thread replier = new Thread(() -> {
                try {
                    FakeBackEnd.Received r = b.next();
                    byte[] m = FakeBackEnd.ok(r, Payload.u64(7));
                    b.socket().send(m, 0, m.length, List.of(stray.fd(), stray.fd()));
                } catch (InterruptedException ignored) {
                }
            });
            replier.start();
            var e = assertThrows(VhostUserProtocolException.class, c::getFeatures);
            assertTrue(e.getMessage().contains("came with 2 file descriptor(s)"), e.getMessage());
            replier.join();
        }
        assertEquals(before, openFds());
    }

    @Test
    void replyAckPutsNeedReplyOnEveryRequestWithoutAReplyAndReportsRefusals() throws Exception {
        try (FakeBackEnd b = answering(r -> switch (r.header().request()) {
            case 16 -> new byte[0];
            case 3 -> FakeBackEnd.ok(r, Payload.u64(0));
            default -> FakeBackEnd.ok(r, Payload.u64(22));
        })) {
            VhostUserConnection c = b.connection(1000);
            c.setProtocolFeatures(ProtocolFeature.REPLY_ACK.mask());
            assertEquals(MessageHeader.VERSION, b.next().header().flags());
            c.setOwner();
            assertEquals(MessageHeader.VERSION | MessageHeader.NEED_REPLY, b.next().header().flags());
            var e = assertThrows(VhostUserRefusedException.class, () -> c.setVringNum(0, 256));
            assertEquals(22, e.value());
            assertTrue(e.getMessage().contains("back-end refused SET_VRING_NUM (8): REPLY_ACK 0x16"), e.getMessage());
            c.setOwner();
        }
    }

    @Test
    void bytesNobodyAskedForAreReportedBeforeTheNextRequest() throws Exception {
        try (FakeBackEnd b = answering(r -> {
            byte[] ok = FakeBackEnd.ok(r, Payload.u64(1));
            byte[] twice = java.util.Arrays.copyOf(ok, ok.length + 4);
            twice[ok.length] = (byte) 0xde;
            return twice;
        })) {
            VhostUserConnection c = b.connection(1000);
            c.getFeatures();
            Thread.sleep(20);
            var e = assertThrows(VhostUserProtocolException.class, c::getFeatures);
            assertTrue(e.getMessage().contains("sent 4 bytes nobody asked for before GET_FEATURES (1): de 00 00 00"), e.getMessage());
        }
    }

    @Test
    void memTableAndVringMessagesCarryTheirPayloadsAndDescriptors() throws Exception {
        try (FakeBackEnd b = answering(r -> new byte[0]); EventFd kick = EventFd.create("kick")) {
            VhostUserConnection c = b.connection(1000);
            List<MemoryRegion> regions = List.of(new MemoryRegion(0x4000_0000L, 0x1000, 0x7f00_0000_1000L, 0),
                    new MemoryRegion(0x4000_1000L, 0x1000, 0x7f00_0000_0000L, 0x1000));
            c.setMemTable(regions, List.of(kick.fd(), kick.fd()));
            FakeBackEnd.Received table = b.next();
            assertEquals(2, table.fds());
            assertEquals(8 + 2 * MemoryRegion.BYTES, table.payload().length);
            var p = Payload.wrap(table.payload());
            assertEquals(2, p.getInt());
            p.getInt();
            assertEquals(0x4000_0000L, p.getLong());
            assertEquals(0x1000, p.getLong());
            assertEquals(0x7f00_0000_1000L, p.getLong());
            c.setVringKick(3, kick.fd());
            FakeBackEnd.Received k = b.next();
            assertEquals(1, k.fds());
            assertEquals(3, Payload.u64(k.payload()));
            c.setVringKick(3, null);
            FakeBackEnd.Received nofd = b.next();
            assertEquals(0, nofd.fds());
            assertEquals(0x103, Payload.u64(nofd.payload()));
            c.setVringAddr(new VringAddress(1, 0, 1, 2, 3, 0));
            assertEquals(VringAddress.BYTES, b.next().payload().length);
        }
    }

    @Test
    void getConfigAndGetVringBaseRepliesMustMatchTheRequest() throws Exception {
        try (FakeBackEnd b = answering(r -> switch (r.header().request()) {
            case 24 -> Payload.wrap(r.payload()).getInt() == 0 ? FakeBackEnd.ok(r, new byte[0])
                    : FakeBackEnd.ok(r, new DeviceConfig(0, 0, new byte[4]).encode());
            default -> FakeBackEnd.ok(r, new VringState(1, 5).encode());
        })) {
            VhostUserConnection c = b.connection(1000);
            var refused = assertThrows(VhostUserRefusedException.class, () -> c.getConfig(0, 4));
            assertTrue(refused.getMessage().contains("empty reply"), refused.getMessage());
            var moved = assertThrows(VhostUserProtocolException.class, () -> c.getConfig(8, 4));
            assertTrue(moved.getMessage().contains("of 4 bytes at offset 8 says 4 bytes at offset 0"), moved.getMessage());
        }
        try (FakeBackEnd b = answering(r -> FakeBackEnd.ok(r, new VringState(1, 5).encode()))) {
            var e = assertThrows(VhostUserProtocolException.class, () -> b.connection(1000).getVringBase(0));
            assertTrue(e.getMessage().contains("for ring 0 names ring 1 (num 5)"), e.getMessage());
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
