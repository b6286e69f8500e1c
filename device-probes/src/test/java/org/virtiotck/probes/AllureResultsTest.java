package org.virtiotck.probes;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.harness.inproc.BlkDevice;
import org.virtiotck.harness.inproc.BlkDeviceProvider;
import org.virtiotck.harness.junit.ProbeExtension;
import org.virtiotck.harness.vhostuser.backend.BackEndFault;
import org.virtiotck.harness.vhostuser.backend.VhostUserBackEnd;
import org.virtiotck.reports.allure.AllureListener;

/**
 * The Allure results of probes run through the JUnit Platform launcher, as Failsafe runs them: against faulty
 * in-process devices a FAIL is "failed" and a WEDGED "broken", each with its clause labels, severity, spec link
 * and a request trace naming the request; the same probe on the reference device is "passed" with no attachment.
 */
class AllureResultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Runs one probe ("ring.UsedRingProbes#usedLenOfIn") with only the Allure listener, writing to {@link #dir}. */
    private List<JsonNode> run(String probe, String target, boolean strict) throws IOException {
        var launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(new AllureListener(dir)).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectMethod("org.virtiotck.probes." + probe + "(org.virtiotck.harness.session.Session)"))
                .configurationParameter(ProbeExtension.TARGET_PARAMETER, target)
                .configurationParameter(ProbeExtension.STRICT_PARAMETER, String.valueOf(strict))
                .build());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-result.json")).map(AllureResultsTest::read)
                    .toList();
        }
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new AssertionError("unreadable result " + p, e);
        }
    }

    private static String label(JsonNode result, String name) {
        for (JsonNode l : result.get("labels")) {
            if (l.get("name").asText().equals(name)) {
                return l.get("value").asText();
            }
        }
        return null;
    }

    /** The text of the result's only attachment, which must be the request trace. */
    private String trace(JsonNode result) throws IOException {
        JsonNode attachments = result.get("attachments");
        assertEquals(1, attachments.size(), result::toPrettyString);
        assertEquals("request trace", attachments.get(0).get("name").asText());
        assertEquals("text/plain", attachments.get(0).get("type").asText());
        return Files.readString(dir.resolve(attachments.get(0).get("source").asText()));
    }

    @Test
    void failOnAFaultyDeviceIsFailedWithLabelsLinkAndTheRequestTrace() throws IOException {
        String target = "inproc:faulty-blk-used-len-plus-one?transport=mmio&ring=split&timeout=300ms";
        List<JsonNode> results = run("ring.UsedRingProbes#usedLenOfIn", target, false);
        assertEquals(1, results.size());
        JsonNode r = results.get(0);
        assertEquals("failed", r.get("status").asText());
        assertEquals("FAIL", label(r, "verdict"));
        assertEquals("2.7.8.2", label(r, "section"));
        assertEquals("§2.7.8.2 used len never exceeds the bytes the device wrote", label(r, "clause"));
        assertEquals("critical", label(r, "severity"));
        assertEquals("MUST", label(r, "level"));
        assertEquals("blk", label(r, "device"));
        assertEquals(target, label(r, "target"));
        assertEquals("mmio", label(r, "transport"));
        assertEquals("split", label(r, "ring"));
        assertEquals("blk", label(r, "suite"));
        assertEquals("Chapter 2 Basic Facilities of a Virtio Device", label(r, "parentSuite"));
        assertEquals("UsedRingProbes", label(r, "subSuite"));
        assertEquals("https://github.com/oasis-tcs/virtio-spec/blob/v1.2-cs01/split-ring.tex#L454",
                r.get("links").get(0).get("url").asText());
        assertEquals("org.virtiotck.probes.ring.UsedRingProbes.usedLenOfIn[" + target + "]", r.get("fullName").asText());
        String message = r.get("statusDetails").get("message").asText();
        assertTrue(message.contains("reproduce: mvn verify -Dtarget='inproc:faulty-blk-used-len-plus-one"), message);

        String trace = trace(r);
        // The request: a blk IN whose 4096-byte data buffer the device may write, and the len it claimed for it.
        assertTrue(trace.contains("queue 0 set up: split"), trace);
        assertTrue(trace.matches("(?s).*queue 0 add id \\d+ at avail\\[\\d+\\], avail idx now \\d+: .*\\+4096 W.*"), trace);
        assertTrue(trace.matches("(?s).*queue 0 used id \\d+ len 4098 of 4097 writable, used idx \\d+.*"), trace);
        assertTrue(trace.contains("notify queue 0"), trace);
    }

    @Test
    void sameProbeOnTheReferenceDeviceIsPassedWithoutAttachment() throws IOException {
        String target = "inproc:blk?transport=mmio&ring=split";
        List<JsonNode> results = run("ring.UsedRingProbes#usedLenOfIn", target, false);
        assertEquals(1, results.size());
        JsonNode r = results.get(0);
        assertEquals("passed", r.get("status").asText());
        assertEquals("PASS", label(r, "verdict"));
        assertEquals(0, r.get("attachments").size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith("-attachment.txt")).count());
        }
    }

    @Test
    void wedgedIsBrokenAndItsTraceEndsAtTheNotification() throws IOException {
        String target = "inproc:faulty-blk-dies-at-first-notify?transport=mmio&ring=packed";
        List<JsonNode> results = run("blk.BlkIoProbes#inReturnsDiskData", target, false);
        JsonNode r = results.get(0);
        assertEquals("broken", r.get("status").asText());
        assertEquals("WEDGED", label(r, "verdict"));
        assertEquals("mmio", label(r, "transport"));
        assertEquals("packed", label(r, "ring"));
        assertEquals("Chapter 5 Device Types", label(r, "parentSuite"));
        String trace = trace(r);
        assertTrue(trace.matches("(?s).*queue 0 add id \\d+ at slot \\d+ wrap 1: .*notify queue 0\n.*"), trace);
        assertFalse(trace.contains("used id"), trace);
    }

    @Test
    void brokenShouldClauseIsFailedWithNormalSeverityWithoutStrict() throws IOException {
        List<JsonNode> results = run("ring.NotificationProbes#quietWhileFlagsSuppress",
                "inproc:faulty-blk-always-notifies?transport=mmio&ring=split", false);
        JsonNode r = results.get(0);
        assertEquals("failed", r.get("status").asText());
        assertEquals("normal", label(r, "severity"));
        assertEquals("SHOULD", label(r, "level"));
    }

    @Test
    void vhostUserTraceHoldsTheMessagesExchanged() throws IOException {
        Path socket = dir.resolve("blk.sock");
        VhostUserBackEnd backEnd = VhostUserBackEnd.start(socket,
                new BlkDevice(BlkDeviceProvider.CAPACITY_SECTORS, BlkDeviceProvider.SERIAL, false),
                BackEndFault.VRING_BASE_OFF_BY_ONE);
        List<JsonNode> results;
        try {
            results = run("vhostuser.VhostUserProbes#getVringBaseReturnsNextAvailableIndex",
                    "vhost-user:" + socket + "?device=blk&ring=split&timeout=500ms", false);
        } finally {
            backEnd.close();
        }
        JsonNode r = results.get(0);
        assertEquals("failed", r.get("status").asText());
        assertEquals("vhost-user", label(r, "transport"));
        assertEquals("https://github.com/qemu/qemu/blob/v7.2.0/docs/interop/vhost-user.rst",
                r.get("links").get(0).get("url").asText());
        String trace = trace(r);
        assertTrue(trace.contains("vhost-user -> SET_MEM_TABLE (5) NEED_REPLY, 2 fds"), trace);
        assertTrue(trace.matches("(?s).*vhost-user <- GET_VRING_BASE \\(11\\) reply 8 bytes [0-9a-f]{16}\n.*"), trace);
    }
}
