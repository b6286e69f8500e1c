package org.virtiotck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where the qemu benchmarks put the threads on a 2-core machine, with {@code taskset}. The guest stub's vCPU thread
 * spins for ever, so whatever shares its core competes with it:
 * <ul>
 * <li>{@code os}: no pinning, the scheduler decides;</li>
 * <li>{@code apart}: all of QEMU on CPU 1, this JVM (and the C peer it starts) on CPU 0, so the client never
 * shares a core with the vCPU, but QEMU's main loop and I/O threads do;</li>
 * <li>{@code vcpu-alone}: the vCPU thread alone on CPU 1, QEMU's other threads with the client on CPU 0, so the
 * main loop that runs the device (ioeventfd) competes with the client instead of with the spinning vCPU.</li>
 * </ul>
 * The vCPU thread is the one thread of QEMU that keeps burning CPU while the stub idles.
 */
final class CpuPlacement {
    static final List<String> NAMES = List.of("os", "apart", "vcpu-alone");

    private CpuPlacement() {
    }

    static void apply(String placement, long qemuPid) {
        switch (placement) {
            case "os" -> {
            }
            case "apart" -> {
                taskset("1", "-a", qemuPid);
                taskset("0", "-a", ProcessHandle.current().pid());
            }
            case "vcpu-alone" -> {
                long vcpu = busiestThread(qemuPid);
                taskset("0", "-a", qemuPid);
                taskset("1", null, vcpu);
                taskset("0", "-a", ProcessHandle.current().pid());
            }
            default -> throw new IllegalArgumentException("placement " + placement + ", not one of " + NAMES);
        }
    }

    /** The thread of {@code pid} that used the most CPU over 200 ms. */
    static long busiestThread(long pid) {
        Map<Long, Long> before = cpuTicks(pid);
        sleep(200);
        Map<Long, Long> after = cpuTicks(pid);
        return after.entrySet().stream()
                .max((a, b) -> Long.compare(a.getValue() - before.getOrDefault(a.getKey(), 0L),
                        b.getValue() - before.getOrDefault(b.getKey(), 0L)))
                .orElseThrow(() -> new IllegalStateException("no threads of process " + pid)).getKey();
    }

    /** utime + stime of every thread of {@code pid}, from /proc. */
    private static Map<Long, Long> cpuTicks(long pid) {
        Map<Long, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the threads of process " + pid, e);
        }
        return ticks;
    }

    private static void taskset(String cpus, String allThreads, long pid) {
        List<String> cmd = new ArrayList<>(List.of("taskset"));
        if (allThreads != null) {
            cmd.add(allThreads);
        }
        cmd.addAll(List.of("-p", "-c", cpus, Long.toString(pid)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run taskset (util-linux)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
