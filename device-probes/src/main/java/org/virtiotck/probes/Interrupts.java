package org.virtiotck.probes;

import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.transport.Transport;

/** Reading the notifications a device sends, as the transport's interrupt causes (§2.3, §4.1.4.5, §4.2.2). */
public final class Interrupts {
    public static final int USED_BUFFER = 1;
    public static final int CONFIG_CHANGE = 2;
    /** How long a device that runs elsewhere gets to do something it must not do, before we look. */
    public static final long SETTLE_MILLIS = 20;

    private Interrupts() {
    }

    public static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until one of {@code causes} is pending (taking every pending cause); false when the deadline passed. */
    public static boolean await(Transport t, Deadline deadline, int causes) {
        return deadline.until(() -> (t.takeInterrupts() & causes) != 0);
    }

    /** "0x1 (used buffer)": the raw causes and their names, for messages. */
    public static String describe(int causes) {
        String names = ((causes & USED_BUFFER) != 0 ? " used buffer" : "") + ((causes & CONFIG_CHANGE) != 0 ? " configuration change" : "");
        return String.format("0x%x (%s)", causes, names.isEmpty() ? "none" : names.trim());
    }
}
