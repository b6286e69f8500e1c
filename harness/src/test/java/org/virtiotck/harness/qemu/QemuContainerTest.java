package org.virtiotck.harness.qemu;

import static org.junit.jupiter.api.Assertions.*;

import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.harness.target.TargetException;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * The qemu-container target against a real Docker engine and the image containers/build makes: data end to end
 * through QEMU in a container for blk, net and console, a QEMU killed inside its container, and nothing left behind
 * (no QEMU in the container after a session, no RAM file or directory, no container after the run). On CI (CI set) a missing engine or image fails these tests, since
 * scripts/test starts the one and builds the other; on a developer machine they skip with the reason.
 */
class QemuContainerTest {
    private static final String KIND = TargetVariant.QEMU_CONTAINER;

    @BeforeAll
    static void needsEngineAndImage() {
        QemuContainers.problem(QemuContainers.DEFAULT_IMAGE).ifPresent(why -> {
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                fail("CI is set and " + why + ": scripts/test runs containers/engine and containers/build");
            }
            Assumptions.assumeTrue(false, why);
        });
    }

    /** After each session: no RAM file or directory, and nothing but the container's own sleep left running in it. */
    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertEquals(List.of(), QemuSessionTest.leftovers());
        for (String id : containersOfThisRun()) {
            List<String> running = Arrays.stream(DockerClientFactory.lazyClient().topContainerCmd(id).exec().getProcesses())
                    .map(p -> String.join(" ", p)).filter(p -> !p.contains("sleep infinity")).toList();
            assertEquals(List.of(), running, "processes left in container " + id);
        }
    }

    /** The shared container goes with the run; here it is stopped as the JVM's exit would stop it. */
    @AfterAll
    static void theContainerGoesWithTheRun() {
        QemuContainer.stopAll();
        assertEquals(List.of(), containersOfThisRun());
    }

    /** Every container Testcontainers made in this JVM, running or not (the harness removes them on close). */
    private static List<String> containersOfThisRun() {
        return DockerClientFactory.lazyClient().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerClientFactory.TESTCONTAINERS_SESSION_ID_LABEL, DockerClientFactory.SESSION_ID))
                .exec().stream().map(Container::getId).toList();
    }

    @Test
    void blkEndToEndOnPciPacked() {
        QemuSessionTest.blkWritesAndReadsEndToEnd(KIND, "pci", "packed");
    }

    @Test
    void blkEndToEndOnMmioSplit() {
        QemuSessionTest.blkWritesAndReadsEndToEnd(KIND, "mmio", "split");
    }

    @Test
    void netFramesCrossTheStreamSocketIntoTheContainer() {
        QemuFarSideTest.netBothWays(KIND, "pci");
    }

    @Test
    void consoleBytesCrossTheChardevOutOfTheContainer() {
        QemuFarSideTest.consoleBothWays(KIND, "mmio");
    }

    @Test
    void qemuKilledInsideItsContainerIsALostDeviceNamingTheContainer() {
        try (QemuSession s = QemuSessionTest.open(KIND + ":blk?transport=mmio&ring=split&timeout=30s")) {
            VirtioDriver d = s.driver();
            d.start(FeatureSet.NONE, 1, 64);
            assertEquals(BlkRequest.S_OK, new BlkClient(d).read(0, 512).status());
            // QEMU's host PID, the container's only process: killing it ends the container.
            assertTrue(ProcessHandle.of(s.qemuPid()).orElseThrow().destroyForcibly());
            DeviceLostException e = assertThrows(DeviceLostException.class, () -> s.transport().status());
            assertTrue(e.getMessage().contains("in container") && e.getMessage().contains(QemuContainers.DEFAULT_IMAGE),
                    e.getMessage());
        }
    }

    @Test
    void closingRemovesTheContainerAndTheFilesItShared() {
        QemuSession s = QemuSessionTest.open(KIND + ":rng?transport=pci&ring=split");
        Path ram = s.ramFile();
        Path dir = s.directory();
        assertEquals(1, containersOfThisRun().size(), "one container, shared by the run's sessions");
        assertTrue(Files.exists(ram) && Files.isDirectory(dir));
        s.close();
        assertFalse(Files.exists(ram), "RAM file left: " + ram);
        assertFalse(Files.exists(dir), "directory left: " + dir);
        assertFalse(ProcessHandle.of(s.qemuPid()).map(ProcessHandle::isAlive).orElse(false), "QEMU still running");
    }

    @Test
    void theCanonicalFormNamesTheImageAndSelectsTheSameVariant() {
        TargetVariant v = TargetSpec.parse(KIND + ":console?transport=pci&ring=packed").variants().get(0);
        assertEquals(QemuContainers.DEFAULT_IMAGE, v.endpoint());
        assertEquals(KIND + ":console?transport=pci&ring=packed&image=" + QemuContainers.DEFAULT_IMAGE, v.canonical());
        assertEquals(List.of(v), TargetSpec.parse(v.canonical()).variants());
        assertEquals(16, TargetSpec.parse(KIND).variants().size(), "four devices, two transports, two rings");
    }

    @Test
    void anImageTheEngineDoesNotHoldIsOneLineBeforeAnyQemuStarts() {
        TargetException e = assertThrows(TargetException.class,
                () -> TargetSpec.parse(KIND + ":blk?image=virtio-tck/no-such-image:1"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("no image 'virtio-tck/no-such-image:1'") && e.getMessage().contains("Accepted:"),
                e.getMessage());
    }
}
