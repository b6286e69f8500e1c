package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.reporting.ReportEntry;
import org.virtiotck.reports.ReportKeys;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.vhostuser.backend.BackEndFault;
import org.virtiotck.harness.vhostuser.backend.VhostUserBackEnd;

/**
 * Probe power for the vhost-user protocol probes: the Java back-end serving the reference blk device passes
 * each of them, and with one {@link BackEndFault} planted the probe of that rule FAILs on its clause. Every
 * back-end is closed, with its socket path removed and no descriptor left, when the test ends.
 */
class VhostUserProbesTest {
    private static final String PROBES = "vhostuser.VhostUserProbes#";
    /** The vhost-user catalogue's "spec": the QEMU release whose vhost-user.rst it numbers. */
    private static final String DOC = "7.2";

    @TempDir
    Path dir;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(BackEndFault.VRING_BASE_OFF_BY_ONE, "getVringBaseReturnsNextAvailableIndex", "3.10", false),
                Arguments.of(BackEndFault.PROCESSES_STOPPED_RING, "stoppedRingIsNotProcessed", "3.1", false),
                Arguments.of(BackEndFault.NO_ACK_FOR_SET_VRING_NUM, "replyAckForEveryNeedReply", "3.12", false),
                Arguments.of(BackEndFault.DROPS_EARLY_KICK, "ringStartsOnAKickPendingAtHandover", "3.1", false),
                Arguments.of(BackEndFault.RINGS_START_ENABLED, "ringStartsDisabledAndWritesNothing", "3.1", false),
                Arguments.of(BackEndFault.RESET_KEEPS_RINGS, "resetDeviceStopsRingsAndStartsOver", "3.10", false),
                Arguments.of(BackEndFault.SHORT_CONFIG_REPLY, "getConfigAnswersTheSizeAskedFor", "3.10", false),
                // SHOULD clauses: FAIL under strict only.
                Arguments.of(BackEndFault.NEVER_POLLS, "ringWithoutKickDescriptorIsPolled", "3.10", true),
                Arguments.of(BackEndFault.HANGS_AFTER_ACTIVE_DISCONNECT, "newConnectionIsServedAfterDisconnect", "3", true));
    }

    /**
     * The open sockets, eventfds and memfds, by what they refer to (a count alone hides which leaked). Jar files
     * the JVM opens while loading classes come and go on their own and are left out.
     */
    private static List<String> openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    return "gone";
                }
            }).filter(l -> l.startsWith("socket:") || l.startsWith("anon_inode:") || l.startsWith("/memfd:"))
                    .sorted().toList();
        }
    }

    private static String target(Path socket) {
        return "vhost-user:" + socket + "?device=blk&ring=split&timeout=500ms";
    }

    /** Runs {@code probe} against a back-end with {@code faults}, then closes it and checks nothing is left. */
    private EngineExecutionResults run(String probe, boolean strict, BackEndFault... faults) throws IOException {
        Path socket = dir.resolve("blk.sock");
        List<String> before = openFds();
        EngineExecutionResults results;
        VhostUserBackEnd backEnd = VhostUserBackEnd.start(socket,
                new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false), faults);
        try {
            results = probe.contains("#") ? ProbeRun.of(probe, target(socket), strict)
                    : ProbeRun.ofClass(probe, target(socket), strict);
            assertTrue(backEnd.connections() >= 1, "the probe connected to the back-end");
        } finally {
            backEnd.close();
        }
        assertNull(backEnd.failure(), () -> "back-end thread failed: " + backEnd.failure());
        assertFalse(Files.exists(socket), "socket path removed");
        assertEquals(before, openFds(), "descriptors left open");
        return results;
    }

    @ParameterizedTest(name = "{1} PASSes on the faithful back-end")
    @MethodSource("faults")
    void probePassesOnTheFaithfulBackEnd(BackEndFault fault, String probe, String section, boolean strict) throws IOException {
        run(PROBES + probe, strict).testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(0));
    }

    @ParameterizedTest(name = "{1} FAILs on §{2} with {0}")
    @MethodSource("faults")
    void probeFailsOnItsClause(BackEndFault fault, String probe, String section, boolean strict) throws IOException {
        List<Event> failed = run(PROBES + probe, strict, fault).testEvents().failed().list();
        assertEquals(1, failed.size(), probe + " should fail once with " + fault);
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("FAIL VIRTIO " + DOC + " §" + section + " "), message);
        assertTrue(message.contains("expected"), message);
    }

    /** A back-end that dies or hangs mid-probe makes it WEDGED with a clear message, within the deadline plus 5 s. */
    @ParameterizedTest(name = "a back-end that {0} makes the probe WEDGED")
    @MethodSource("deaths")
    void deadOrHungBackEndIsWedgedWithinTheDeadline(BackEndFault fault, String says) throws IOException {
        long start = System.nanoTime();
        List<Event> failed = run("blk.BlkIoProbes#outThenInRoundTrip", false, fault).testEvents().failed().list();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, failed.size());
        String message = failed.get(0).getPayload(TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow().getMessage();
        assertTrue(message.startsWith("WEDGED VIRTIO 1.2 §5.2.6 "), message);
        assertTrue(message.contains(says), message);
        assertTrue(millis < 500 + 5_000, "took " + millis + " ms with a 500 ms deadline");
    }

    static Stream<Arguments> deaths() {
        return Stream.of(
                Arguments.of(BackEndFault.DIES_ON_KICK, "closed"),
                Arguments.of(BackEndFault.HANGS_ON_KICK, "within 500 ms"));
    }

    /**
     * The back-end stops a ring on a malformed chain and signals its err eventfd: each malformed request is REJECT
     * (the ring set up again by a reset serves a well-formed request), none FAIL or WEDGED.
     */
    @ParameterizedTest(name = "{0} REJECTs on the faithful back-end through the err eventfd")
    @ValueSource(strings = {"malformed.MalformedSplitProbes", "malformed.MalformedChainProbes"})
    void malformedRequestsAreRejectedThroughTheErrEventfd(String probes) throws IOException {
        EngineExecutionResults r = run(probes, false);
        assertEquals(0, r.testEvents().failed().count(), () -> r.testEvents().failed().list().toString());
        // Each key comes in an entry of its own: gather them per probe invocation.
        Map<String, Map<String, String>> byRun = new HashMap<>();
        r.allEvents().reportingEntryPublished().stream().forEach(e -> byRun
                .computeIfAbsent(e.getTestDescriptor().getUniqueId().toString(), k -> new HashMap<>())
                .putAll(e.getPayload(ReportEntry.class).map(ReportEntry::getKeyValuePairs).orElse(Map.of())));
        List<Map<String, String>> rejected = byRun.values().stream()
                .filter(m -> "REJECT".equals(m.get(ReportKeys.VERDICT))).toList();
        assertFalse(rejected.isEmpty(), "some REJECT");
        assertTrue(rejected.stream().allMatch(m -> m.get(ReportKeys.DETAIL).contains("err eventfd")), rejected::toString);
    }

    @Test
    void blkProbesPassOnTheFaithfulBackEnd() throws IOException {
        var events = run("blk.BlkIoProbes", false).testEvents();
        assertEquals(0, events.failed().count(), () -> events.failed().list().toString());
        assertTrue(events.succeeded().count() > 0);
    }
}
