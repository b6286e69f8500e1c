package org.virtiotck.harness.qemu;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.virtiotck.driver.DeviceLostException;

/**
 * One session's QEMU, run by {@code docker exec} in the {@link QemuContainer} of the target's image (the
 * {@code qemu-container} target). Its exit is seen when the exec's attached stream ends; it is killed by its host
 * PID, as a local QEMU is, and the exec's end awaited.
 */
final class ContainerQemu implements QemuProcess {
    /** QEMU is running once the exec reports a PID; docker answers in milliseconds, a loaded machine in seconds. */
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final QemuContainer container;
    private final String exec;
    private final Path log;
    private final CountDownLatch exited;
    private long pid;

    private ContainerQemu(QemuContainer container, String exec, Path log, CountDownLatch exited) {
        this.container = container;
        this.exec = exec;
        this.log = log;
        this.exited = exited;
    }

    static QemuLauncher launcher(String image) {
        return (arguments, ram, dir) -> start(QemuContainer.of(image), arguments, QemuProcess.log(dir));
    }

    private static ContainerQemu start(QemuContainer container, List<String> arguments, Path log) {
        // The shell only sends QEMU's output into the log and then becomes QEMU, so the exec's process is QEMU.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >'" + log + "' 2>&1", "sh", BINARY));
        command.addAll(arguments);
        String exec = container.docker().execCreateCmd(container.id()).withUser(container.user())
                .withAttachStdout(true).withAttachStderr(true).withCmd(command.toArray(String[]::new)).exec().getId();
        CountDownLatch exited = new CountDownLatch(1);
        container.docker().execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onComplete() {
                exited.countDown();
            }

            @Override
            public void onError(Throwable t) {
                exited.countDown();
            }
        });
        ContainerQemu qemu = new ContainerQemu(container, exec, log, exited);
        qemu.pid = qemu.awaitPid();
        return qemu;
    }

    /** The host PID of the exec's process, once docker has one; 0 if it ended first (the mailbox then reports it lost). */
    private long awaitPid() {
        long end = System.nanoTime() + START_NANOS;
        while (isAlive()) {
            InspectExecResponse r = inspect();
            if (r.getPidLong() != null && r.getPidLong() > 0) {
                return r.getPidLong();
            }
            if (System.nanoTime() - end >= 0) {
                throw new DeviceLostException("QEMU in container " + shortId() + " got no PID within 20 s of its exec");
            }
            Thread.onSpinWait();
        }
        return 0;
    }

    private InspectExecResponse inspect() {
        return container.docker().inspectExecCmd(exec).exec();
    }

    private String shortId() {
        return container.id().substring(0, 12);
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return exited.getCount() > 0;
    }

    @Override
    public DeviceLostException lost(String when) {
        String status = isAlive() ? "still running" : "exit status " + inspect().getExitCodeLong();
        String output = QemuProcess.output(log);
        return new DeviceLostException("QEMU (pid " + pid + ", in container " + shortId() + " of " + container.image()
                + ") exited " + when + ", " + status + (output.isEmpty() ? "" : ": " + output));
    }

    /** Kills QEMU by its host PID and waits, bounded, until its exec has ended. */
    @Override
    public void close() {
        if (pid > 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            if (!exited.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("QEMU (pid " + pid + ", in container " + shortId() + ") still running 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
