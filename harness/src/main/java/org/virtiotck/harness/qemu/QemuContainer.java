package org.virtiotck.harness.qemu;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One running container of an image, shared by every QEMU of this JVM that runs in that image: each session's
 * QEMU is a {@code docker exec} in it ({@link ContainerQemu}). A container per session would be simpler, but the
 * vfs storage driver that a bare CI machine's Docker uses copies the whole image for every container: 45 s for
 * the 403 MB QEMU image on a loaded 2-core machine, against 0.1 s for an exec. /dev/shm (the RAM files) and the
 * temporary directory (the sessions' directories) are bind-mounted at their own paths, so QEMU sees what the
 * harness made where the harness made it. The container has no network and runs as this JVM's user; it is removed
 * when the JVM exits, or, after a JVM that was killed, by the next JVM that starts one.
 */
final class QemuContainer {
    private static final String OWNER_LABEL = "org.virtiotck.qemu-container.jvm";
    private static final Map<String, QemuContainer> BY_IMAGE = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(QemuContainer::stopAll, "qemu-container-reaper"));
    }

    private final GenericContainer<?> container;
    private final String user;

    private QemuContainer(GenericContainer<?> container, String user) {
        this.container = container;
        this.user = user;
    }

    /** The running container of {@code image}, started on first use. */
    static QemuContainer of(String image) {
        return BY_IMAGE.computeIfAbsent(image, QemuContainer::start);
    }

    private static QemuContainer start(String image) {
        QemuContainers.testcontainersProblem().ifPresent(problem -> {
            throw new IllegalStateException("qemu-container: " + problem);
        });
        removeOrphans();
        String user = uid();
        String tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
        // Binds given to docker directly: Testcontainers' own withFileSystemBind first checks that mounting works by
        // running a container of a Docker Hub image, which waits two minutes for a pull where no registry answers.
        List<Bind> binds = List.of(new Bind(QemuMachine.SHM.toString(), new Volume(QemuMachine.SHM.toString())),
                new Bind(tmp, new Volume(tmp)));
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withNetworkMode("none")
                .withLabel(OWNER_LABEL, Long.toString(ProcessHandle.current().pid()))
                .withCreateContainerCmdModifier(c -> c.withUser(user).getHostConfig().withBinds(binds))
                .withCommand("sleep", "infinity");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException("qemu-container: cannot start a container of " + image + ": " + e.getMessage(), e);
        }
        return new QemuContainer(container, user);
    }

    /** Containers left by JVMs of this machine that are gone (killed before their shutdown hook ran). */
    private static void removeOrphans() {
        DockerClient docker = DockerClientFactory.lazyClient();
        List<Container> ours = docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(OWNER_LABEL)).exec();
        for (Container c : ours) {
            long owner = Long.parseLong(c.getLabels().getOrDefault(OWNER_LABEL, "0"));
            if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    /** This JVM's uid:gid, so that whatever QEMU creates (the console's socket, its log) the harness can remove. */
    private static String uid() {
        try {
            Path self = Path.of("/proc/self");
            return Files.getAttribute(self, "unix:uid") + ":" + Files.getAttribute(self, "unix:gid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's uid", e);
        }
    }

    /** Stops and removes every container this JVM started. */
    static void stopAll() {
        BY_IMAGE.values().forEach(c -> c.container.stop());
        BY_IMAGE.clear();
    }

    DockerClient docker() {
        return container.getDockerClient();
    }

    String id() {
        return container.getContainerId();
    }

    String image() {
        return container.getDockerImageName();
    }

    String user() {
        return user;
    }
}
