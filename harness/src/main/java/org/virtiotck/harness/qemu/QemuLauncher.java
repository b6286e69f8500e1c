package org.virtiotck.harness.qemu;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a session's QEMU runs: this machine's binary ({@link LocalQemu}) or the same binary inside a container
 * ({@link ContainerQemu}). Either way QEMU maps the RAM file {@code ram} and finds its sockets and disk in {@code dir}
 * at the paths the harness uses, so the command line and everything after the start are the same.
 */
@FunctionalInterface
interface QemuLauncher {
    /** Starts QEMU with {@code arguments} (everything after the binary's name), its output in {@link QemuProcess#log}. */
    QemuProcess start(List<String> arguments, Path ram, Path dir);
}
