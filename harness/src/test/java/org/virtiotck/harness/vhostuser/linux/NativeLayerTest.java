package org.virtiotck.harness.vhostuser.linux;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLayerTest {

    /** The process's open descriptors, by number. */
    private static Set<String> openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /**
     * No descriptor is open now that was not open at {@code before}: a leak leaves a new one. Other threads of the
     * test JVM (a QEMU session's reaper, say) may close descriptors of their own meanwhile; that is no leak.
     */
    private static void assertNoNewFds(Set<String> before) throws IOException {
        Set<String> now = openFds();
        now.removeAll(before);
        assertEquals(Set.of(), now, "descriptors left open");
    }

    @Test
    void memfdMappingIsSharedBetweenTwoMappings() {
        try (Memfd memfd = Memfd.create("test", 8192); SharedMapping a = memfd.map(); SharedMapping b = memfd.map()) {
            a.buffer().putLong(4096, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.buffer().getLong(4096));
            assertEquals(8192, b.buffer().capacity());
        }
    }

    @Test
    void eventfdCountsSignalsAndTakesWithoutBlocking() {
        try (EventFd e = EventFd.create("test")) {
            assertEquals(0, e.take());
            e.signal();
            e.signal();
            assertEquals(2, e.take());
            assertEquals(0, e.take());
        }
    }

    @Test
    void descriptorsTravelWithTheFirstByteAndArriveOwned() {
        UnixStreamSocket[] pair = UnixStreamSocket.pair("test");
        try (UnixStreamSocket a = pair[0]; UnixStreamSocket b = pair[1]; EventFd e = EventFd.create("sent")) {
            byte[] msg = {1, 2, 3, 4};
            assertEquals(4, a.send(msg, 0, 4, List.of(e.fd(), e.fd())));
            assertNotEquals(0, b.awaitReadable(System.nanoTime() + 1_000_000_000L));
            byte[] got = new byte[16];
            UnixStreamSocket.Received r = b.receive(got, 0, 16);
            assertEquals(4, r.bytes());
            assertEquals(2, r.fds().size());
            assertFalse(r.descriptorsTruncated());
            // The received descriptor refers to the same eventfd: a signal through it is seen on the original.
            try (OwnedFd copy = r.fds().get(0); OwnedFd other = r.fds().get(1)) {
                assertNotEquals(e.fd().get(), copy.get());
            }
            assertEquals(-1, b.receive(got, 0, 16).bytes());
            a.close();
            assertEquals(0, b.receive(got, 0, 16).bytes());
        }
    }

    @Test
    void pollGivesUpAtTheDeadline() {
        UnixStreamSocket[] pair = UnixStreamSocket.pair("test");
        try (UnixStreamSocket a = pair[0]; UnixStreamSocket b = pair[1]) {
            long start = System.nanoTime();
            assertEquals(0, b.awaitReadable(start + 50_000_000L));
            assertTrue(System.nanoTime() - start >= 50_000_000L);
            assertFalse(b.hasPendingInput());
        }
    }

    @Test
    void errorsNameTheCallAndErrno(@TempDir Path dir) throws IOException {
        NativeCallException missing = assertThrows(NativeCallException.class,
                () -> UnixStreamSocket.connect(dir.resolve("none.sock")));
        assertEquals(2, missing.errno());
        assertTrue(missing.getMessage().contains("connect(" + dir.resolve("none.sock") + ") failed: errno 2 (No such file"),
                missing.getMessage());
        Path refused = dir.resolve("refused.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(refused));
        }
        // The listener is gone but its socket file stays: connecting is refused.
        NativeCallException gone = assertThrows(NativeCallException.class, () -> UnixStreamSocket.connect(refused));
        assertEquals(111, gone.errno(), gone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnixStreamSocket.connect(dir.resolve("x".repeat(120))));
    }

    @Test
    void listeningSocketAcceptsWithADeadlineAndRemovesItsPathOnClose(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("listen.sock");
        Set<String> before = openFds();
        try (UnixStreamSocket server = UnixStreamSocket.listen(path)) {
            assertTrue(Files.exists(path));
            long start = System.nanoTime();
            assertNull(server.accept(start + 50_000_000L), "nobody connected");
            assertTrue(System.nanoTime() - start >= 50_000_000L);
            NativeCallException inUse = assertThrows(NativeCallException.class, () -> UnixStreamSocket.listen(path));
            assertEquals(98, inUse.errno(), inUse.getMessage());
            try (UnixStreamSocket client = UnixStreamSocket.connect(path); EventFd e = EventFd.create("sent");
                    UnixStreamSocket accepted = server.accept(System.nanoTime() + 1_000_000_000L)) {
                assertNotNull(accepted);
                assertEquals(3, client.send(new byte[] {1, 2, 3}, 0, 3, List.of(e.fd())));
                accepted.awaitReadable(System.nanoTime() + 1_000_000_000L);
                UnixStreamSocket.Received r = accepted.receive(new byte[8], 0, 8);
                assertEquals(3, r.bytes());
                try (EventFd adopted = EventFd.adopt(r.fds().get(0))) {
                    adopted.signal();
                    assertEquals(1, e.take(), "the descriptor that arrived is the same eventfd");
                }
                assertThrows(IllegalStateException.class, () -> client.accept(System.nanoTime()));
            }
        }
        assertFalse(Files.exists(path), "closing the listener removes its path");
        assertNoNewFds(before);
    }

    @Test
    void pollOnSeveralDescriptorsReportsEach() {
        try (EventFd a = EventFd.create("a"); EventFd b = EventFd.create("b")) {
            assertArrayEquals(new int[] {0, 0}, Poll.awaitAny(List.of(a.fd(), b.fd()), (short) 1, System.nanoTime() + 20_000_000L));
            b.signal();
            assertArrayEquals(new int[] {0, 1}, Poll.awaitAny(List.of(a.fd(), b.fd()), (short) 1, System.nanoTime() + 1_000_000_000L));
        }
    }

    @Test
    void closedObjectsRefuseUseInsteadOfTouchingReusedDescriptorsOrUnmappedMemory() {
        EventFd e = EventFd.create("closed");
        e.close();
        e.close();
        assertThrows(IllegalStateException.class, e::signal);
        Memfd m = Memfd.create("closed", 4096);
        SharedMapping map = m.map();
        map.close();
        assertThrows(IllegalStateException.class, map::buffer);
        m.close();
    }

    @Test
    void nothingLeaks() throws IOException {
        Set<String> before = openFds();
        for (int i = 0; i < 50; i++) {
            UnixStreamSocket[] pair = UnixStreamSocket.pair("leak");
            try (UnixStreamSocket a = pair[0]; UnixStreamSocket b = pair[1]; EventFd e = EventFd.create("leak");
                    Memfd m = Memfd.create("leak", 4096); SharedMapping map = m.map()) {
                a.send(new byte[] {9}, 0, 1, List.of(e.fd(), m.fd()));
                b.awaitReadable(System.nanoTime() + 1_000_000_000L);
                UnixStreamSocket.Received r = b.receive(new byte[1], 0, 1);
                r.fds().forEach(OwnedFd::close);
                ByteBuffer buf = map.buffer();
                buf.put(0, (byte) 1);
            }
        }
        // A leak in the loop leaves a descriptor per round, 50 of them; other threads of the test JVM (docker-java's
        // connections of the container tests, a selector's eventfd) open a few meanwhile, which is no leak of this code.
        Set<String> now = openFds();
        now.removeAll(before);
        assertTrue(now.size() < 25, "descriptors left open: " + now);
    }
}
