package org.virtiotck.harness.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.virtiotck.driver.DeviceLostException;

/**
 * A running QEMU, wherever it runs: the mailbox asks whether it is still alive while it waits (an exit is a lost
 * device, reported with how it ended and what QEMU printed), and {@link #close()} kills it and waits until it is gone.
 */
interface QemuProcess extends AutoCloseable {
    String BINARY = "qemu-system-aarch64";
    int LOG_TAIL = 600;

    /** The host PID of QEMU. */
    long pid();

    boolean isAlive();

    /** The device is gone because QEMU exited: how and what it said. */
    DeviceLostException lost(String when);

    /** Kills QEMU and waits, bounded, until it is gone; throws if it is not. */
    @Override
    void close();

    /** Where QEMU's output goes, in the session's directory. */
    static Path log(Path dir) {
        return dir.resolve("qemu.log");
    }

    /** The end of what QEMU printed into {@code log}, on one line. */
    static String output(Path log) {
        try {
            String s = Files.exists(log) ? Files.readString(log).strip().replace('\n', ' ') : "";
            return s.length() > LOG_TAIL ? "..." + s.substring(s.length() - LOG_TAIL) : s;
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
