package org.virtiotck.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The fuzzer finds a planted fault within a bounded number of tries, shrinks the plan to the smallest that shows
 * it, and saves that plan and the seed where the replay test finds it.
 */
class FuzzerPowerTest {

    @Test
    void findsWritePastThirdDescriptorAndShrinksToOneThreeDescriptorRequest(@TempDir Path dir) throws IOException {
        String before = System.getProperty(SaveShrunkPlan.DIRECTORY_PROPERTY);
        System.setProperty(SaveShrunkPlan.DIRECTORY_PROPERTY, dir.toString());
        Events events;
        try {
            events = EngineTestKit.engine("jqwik").selectors(selectClass(PastThirdDescriptorRun.class)).execute()
                    .testEvents();
        } finally {
            if (before == null) {
                System.clearProperty(SaveShrunkPlan.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(SaveShrunkPlan.DIRECTORY_PROPERTY, before);
            }
        }
        events.assertStatistics(s -> s.started(1).failed(1));
        String failure = events.failed().stream()
                .map(e -> e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
                .flatMap(Optional::stream).map(Throwable::toString).findFirst().orElse("");
        List<Path> saved;
        try (Stream<Path> files = Files.list(dir)) {
            saved = files.toList();
        }
        assertEquals(1, saved.size(), "one regression file: " + saved + " after " + failure);
        assertTrue(saved.get(0).getFileName().toString().startsWith("plansRunClean-20261126"), saved.toString());
        FuzzRegression regression = FuzzRegression.read(saved.get(0));
        assertEquals("20261126", regression.seed());
        assertEquals(PastThirdDescriptorBlk.TARGET, regression.target());
        assertEquals(1, regression.plan().requests().size(), regression.plan().toString());
        assertEquals(3, regression.plan().requests().get(0).descriptors(), regression.plan().toString());
        assertFalse(regression.findings().isEmpty());
        assertFalse(regression.replay().isEmpty(), "the saved plan still finds the fault");
        assertEquals(List.of(), BlkPlanRunner.run(BlkFuzzProperties.SPLIT, regression.plan()),
                "the reference device runs the same plan clean");
    }
}
