package org.virtiotck.harness.qemu;

import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * What the {@code qemu-container} target needs of the Docker engine, checked before any probe runs: an engine that
 * answers and the image. The check talks to the engine's API directly, not through Testcontainers, whose first
 * use starts its Ryuk container and looks up the engine's bridge network: neither exists on a bare CI machine,
 * and the check also runs inside Maven's own JVM, where the build cannot set Testcontainers' environment.
 */
public final class QemuContainers {
    /** The image {@code containers/build} makes: Debian bookworm, from a debootstrap base, with qemu-system-arm. */
    public static final String DEFAULT_IMAGE = "virtio-tck/qemu:bookworm";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private QemuContainers() {
    }

    /** Where the engine listens: DOCKER_HOST as Docker's own client reads it, else the usual socket. */
    static URI engine() {
        String host = System.getenv("DOCKER_HOST");
        return URI.create(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host);
    }

    /**
     * Set by the build's target check, which runs in Maven's own JVM: the test JVMs it forks get Testcontainers'
     * settings from the POM, so their absence here says nothing.
     */
    public static final String IN_BUILD_JVM = "virtio.tck.target-check";

    /**
     * Why QEMU cannot run in {@code image} here, if it cannot: no engine, no image, or Testcontainers not set up to
     * reach it. The image is not pulled: without a registry that only times out.
     */
    public static Optional<String> problem(String image) {
        Optional<String> problem = engineProblem(image);
        return problem.isPresent() || Boolean.getBoolean(IN_BUILD_JVM) ? problem : testcontainersProblem();
    }

    private static Optional<String> engineProblem(String image) {
        URI engine = engine();
        try (DockerHttpClient http = client(engine)) {
            if (status(http, "/_ping") != 200) {
                return Optional.of("the Docker engine at " + engine + " does not answer its ping");
            }
            int found = status(http, "/images/" + URLEncoder.encode(image, StandardCharsets.UTF_8) + "/json");
            if (found == 404) {
                return Optional.of("no image '" + image + "' in the Docker engine; containers/build makes " + DEFAULT_IMAGE
                        + ", or pass image= of one that has " + QemuProcess.BINARY);
            }
            return found == 200 ? Optional.empty()
                    : Optional.of("the Docker engine answered " + found + " about image '" + image + "'");
        } catch (Exception e) {
            return Optional.of("no Docker engine answers at " + engine + " (" + e.getClass().getSimpleName()
                    + "); containers/engine start runs one, DOCKER_HOST names another");
        }
    }

    /**
     * Why Testcontainers cannot start a container here, if it cannot: it would pull Ryuk's image, which a machine
     * without a registry never gets, or look up a bridge network that an engine run with {@code --bridge=none} lacks.
     * The Maven build sets both variables for its test JVMs; {@code java -jar} users set them themselves.
     */
    static Optional<String> testcontainersProblem() {
        TestcontainersConfiguration config = TestcontainersConfiguration.getInstance();
        if (config.getEnvVarOrUserProperty("host.override", null) == null) {
            return Optional.of("set TESTCONTAINERS_HOST_OVERRIDE=localhost: QEMU shares its RAM file with the harness, "
                    + "so the Docker engine is this machine's");
        }
        if (!Boolean.parseBoolean(config.getEnvVarOrUserProperty("ryuk.disabled", "false"))) {
            try (DockerHttpClient http = client(engine())) {
                String ryuk = URLEncoder.encode(config.getRyukImage(), StandardCharsets.UTF_8);
                if (status(http, "/images/" + ryuk + "/json") != 200) {
                    return Optional.of("set TESTCONTAINERS_RYUK_DISABLED=true, or pull " + config.getRyukImage()
                            + ": the harness removes its containers itself");
                }
            } catch (Exception e) {
                return Optional.empty(); // problem() reports an engine that does not answer
            }
        }
        return Optional.empty();
    }

    private static DockerHttpClient client(URI engine) {
        return new ZerodepDockerHttpClient.Builder().dockerHost(engine).connectionTimeout(DEADLINE)
                .responseTimeout(DEADLINE).build();
    }

    private static int status(DockerHttpClient http, String path) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            return response.getStatusCode();
        }
    }
}
