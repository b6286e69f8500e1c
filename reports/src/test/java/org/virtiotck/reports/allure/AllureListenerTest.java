package org.virtiotck.reports.allure;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.reports.SampleProbes;

/** The listener through a real launcher, over the sample probes whose outcomes are known. */
class AllureListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private void run(TestExecutionListener listener, Class<?> type) {
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                .addTestExecutionListeners(listener).build())
                .execute(LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(type)).build());
    }

    private List<JsonNode> results(Path where) throws IOException {
        try (Stream<Path> files = Files.list(where)) {
            return files.filter(p -> p.toString().endsWith("-result.json")).map(p -> {
                try {
                    return JSON.readTree(p.toFile());
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    private static String label(JsonNode r, String name) {
        for (JsonNode l : r.get("labels")) {
            if (l.get("name").asText().equals(name)) {
                return l.get("value").asText();
            }
        }
        return null;
    }

    @Test
    void sampleProbesGetTheirVerdictsAsStatuses() throws IOException {
        run(new AllureListener(dir), SampleProbes.class);
        List<JsonNode> all = results(dir);
        Map<String, Integer> byVerdict = new HashMap<>();
        all.stream().filter(r -> label(r, "verdict") != null)
                .forEach(r -> byVerdict.merge(label(r, "verdict") + " " + r.get("status").asText(), 1, Integer::sum));
        // SampleProbes: PASS 7, FAIL 2 (one a SHOULD clause the JUnit test passed), WEDGED 1, SKIP 1.
        assertEquals(Map.of("PASS passed", 7, "FAIL failed", 2, "WEDGED broken", 1, "SKIP skipped", 1), byVerdict);
        JsonNode should = all.stream().filter(r -> "3.1.1".equals(label(r, "section"))
                && "FAIL".equals(label(r, "verdict"))).findFirst().orElseThrow();
        assertEquals("normal", label(should, "severity"));
        assertTrue(should.get("statusDetails").get("message").asText().startsWith("expected: reset to complete"));
        JsonNode must = all.stream().filter(r -> "WEDGED".equals(label(r, "verdict"))).findFirst().orElseThrow();
        assertEquals("critical", label(must, "severity"));
        // A test without @Clause still gets a result, from its JUnit outcome alone.
        JsonNode helper = all.stream().filter(r -> r.get("name").asText().startsWith("helperCheck")).findFirst()
                .orElseThrow();
        assertEquals("failed", helper.get("status").asText());
        assertNull(label(helper, "verdict"));
        assertEquals(12, all.size());
        assertTrue(Files.exists(dir.resolve("categories.json")));
        assertTrue(Files.readString(dir.resolve("environment.properties")).contains("java.version="));
    }

    @Test
    void aResultPerTargetVariantWithItsOwnHistoryId() throws IOException {
        run(new AllureListener(dir), SampleProbes.class);
        List<JsonNode> queue = results(dir).stream().filter(r -> r.get("fullName").asText()
                .contains("SampleProbes.queueSizePowerOfTwo")).toList();
        assertEquals(2, queue.size());
        assertNotEquals(queue.get(0).get("historyId"), queue.get(1).get("historyId"));
        assertEquals(queue.get(0).get("testCaseId"), queue.get(1).get("testCaseId"));
    }

    @Test
    void withoutTheDirectoryPropertyNothingIsWritten() throws IOException {
        String saved = System.getProperty(AllureListener.DIRECTORY_PROPERTY);
        System.clearProperty(AllureListener.DIRECTORY_PROPERTY);
        Path cwdResults = Path.of("target/allure-results");
        long before = Files.isDirectory(cwdResults) ? results(cwdResults).size() : 0;
        try {
            run(new AllureListener(), SampleProbes.class);
        } finally {
            if (saved != null) {
                System.setProperty(AllureListener.DIRECTORY_PROPERTY, saved);
            }
        }
        assertEquals(before, Files.isDirectory(cwdResults) ? results(cwdResults).size() : 0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /** The fuzz run's rounds run through launchers of their own: only the outer test gets a result. */
    @Test
    void aNestedTestPlanWritesNothing() throws IOException {
        String saved = System.getProperty(AllureListener.DIRECTORY_PROPERTY);
        // The nested launcher registers its own listener from META-INF/services, which reads the property.
        System.setProperty(AllureListener.DIRECTORY_PROPERTY, dir.toString());
        try {
            run(new AllureListener(dir), NestedLauncherSample.class);
        } finally {
            if (saved == null) {
                System.clearProperty(AllureListener.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(AllureListener.DIRECTORY_PROPERTY, saved);
            }
        }
        List<JsonNode> all = results(dir);
        assertEquals(1, all.size(), all::toString);
        assertEquals("runsPlainSampleInside()", all.get(0).get("name").asText());
    }

    @Test
    void theDirectoryPropertyTurnsItOnAndAnEarlierRunIsCleared() throws IOException {
        Path where = dir.resolve("from-property");
        Files.createDirectories(where);
        Files.writeString(where.resolve("stale-result.json"), "{}");
        Files.writeString(where.resolve("keep.txt"), "not ours");
        String saved = System.getProperty(AllureListener.DIRECTORY_PROPERTY);
        System.setProperty(AllureListener.DIRECTORY_PROPERTY, where.toString());
        try {
            run(new AllureListener(), SampleProbes.class);
        } finally {
            if (saved == null) {
                System.clearProperty(AllureListener.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(AllureListener.DIRECTORY_PROPERTY, saved);
            }
        }
        assertFalse(Files.exists(where.resolve("stale-result.json")));
        assertTrue(Files.exists(where.resolve("keep.txt")));
        assertEquals(12, results(where).size());
    }
}
