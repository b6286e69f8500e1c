package org.virtiotck.harness.target;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;

class VhostUserTargetTest {

    private static String problem(String target) {
        TargetException e = assertThrows(TargetException.class, () -> TargetSpec.parse(target));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad target: "), e.getMessage());
        assertTrue(e.getMessage().contains("Accepted: ") && e.getMessage().contains("vhost-user:/path.sock?device="), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aListeningSocketWithADeviceGivesOneVariantPerRingLayout(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("b.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            List<TargetVariant> variants = TargetSpec.parse("vhost-user:" + sock + "?device=blk&features=-BLK_F_RO&timeout=2s").variants();
            assertEquals(List.of("vhost-user:" + sock + "?device=blk&ring=split&features=-BLK_F_RO&timeout=2000ms",
                    "vhost-user:" + sock + "?device=blk&ring=packed&features=-BLK_F_RO&timeout=2000ms"),
                    variants.stream().map(TargetVariant::canonical).toList());
            TargetVariant v = variants.get(0);
            assertEquals(DeviceType.BLK, v.type());
            assertEquals(sock.toString(), v.endpoint());
            assertEquals(Duration.ofSeconds(2), v.timeout());
            assertTrue(v.policy().forbid().has(Feature.BLK_RO));
            assertEquals(v, TargetSpec.parse(v.canonical()).variants().get(0));
            assertEquals("vhost-user:blk " + sock + " split -BLK_F_RO", v.label());
            assertEquals(DeviceType.NET, TargetSpec.parse("vhost-user:" + sock + "?device=net&ring=packed").variants().get(0).type());
        }
    }

    @Test
    void theDeviceMustBeNamed(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("b.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            assertTrue(problem("vhost-user:" + sock).contains("needs device=net|blk|console|rng"));
            assertTrue(problem("vhost-user:" + sock + "?device=gpu").contains("device 'gpu' is not one of"));
            assertTrue(problem("vhost-user:" + sock + "?device=blk&transport=pci").contains("'transport' does not apply"));
            assertTrue(problem("vhost-user:" + sock + "?device=blk&features=+NET_F_MAC").contains("NET_F_MAC"));
            assertTrue(problem("vhost-user:" + sock + "?device=blk&queue=3").contains("unknown option 'queue'"));
        }
    }

    @Test
    void aMissingOrRefusingSocketIsABadTarget(@TempDir Path dir) throws IOException {
        assertTrue(problem("vhost-user:?device=blk").contains("needs a socket path"));
        assertTrue(problem("vhost-user:" + dir.resolve("none.sock") + "?device=blk").contains("no vhost-user socket at"));
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertTrue(problem("vhost-user:" + file + "?device=blk").contains("is not a socket"));
        Path refused = dir.resolve("refused.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(refused));
        }
        assertTrue(problem("vhost-user:" + refused + "?device=blk").contains("errno 111 (Connection refused)"));
    }

    @Test
    void aBlkImageIsARegularFileAndBelongsToBlk(@TempDir Path dir) throws IOException {
        Path sock = dir.resolve("b.sock");
        Path image = Files.write(dir.resolve("disk.img"), new byte[4096]);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            TargetVariant v = TargetSpec.parse("vhost-user:" + sock + "?device=blk&ring=split&image=" + image).variants().get(0);
            assertEquals(image.toString(), v.image());
            assertEquals("vhost-user:" + sock + "?device=blk&image=" + image + "&ring=split", v.canonical());
            assertEquals(v, TargetSpec.parse(v.canonical()).variants().get(0));
            assertEquals("", TargetSpec.parse("vhost-user:" + sock + "?device=blk").variants().get(0).image());
            assertTrue(problem("vhost-user:" + sock + "?device=net&image=" + image).contains("'image' applies to device=blk only"));
            assertTrue(problem("vhost-user:" + sock + "?device=blk&image=" + dir.resolve("none.img"))
                    .contains("is not a regular file this user can read and write"));
            assertTrue(problem("vhost-user:" + sock + "?device=blk&image=" + dir).contains("is not a regular file"));
        }
    }
}
