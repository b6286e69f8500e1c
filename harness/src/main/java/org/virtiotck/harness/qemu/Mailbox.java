package org.virtiotck.harness.qemu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import org.virtiotck.driver.DeviceTimeoutException;

/**
 * The harness end of the guest stub's mailbox: one MMIO access per round trip. Parameters are stored first and
 * the sequence number last with release semantics; the stub acknowledges by storing the same number into
 * {@code ack} last, which is read with acquire semantics (a plain read could be hoisted out of the loop).
 * Every wait has a deadline, and a QEMU that exits meanwhile is reported at once as lost rather than waited for.
 */
final class Mailbox {
    static final int SEQ = 0x00;
    static final int OP = 0x08;
    static final int ADDR = 0x10;
    static final int VALUE = 0x18;
    static final int ACK = 0x20;
    static final int RESULT = 0x28;
    static final int STATUS = 0x30;
    static final int READY = 0x38;
    static final int ESR = 0x40;
    static final int FAR = 0x48;

    static final int OP_READ = 0;
    static final int OP_WRITE = 4;
    private static final int STATUS_FAULT = 2;
    /** Spins before the waits start yielding: a round trip takes about a microsecond when the vCPU is running. */
    private static final int SPINS = 2000;
    /** How often, in polls, the wait looks at the clock and the process. */
    private static final int CHECK_EVERY = 256;
    private static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final GuestRam ram;
    private final ByteBuffer buf;
    private final int at;
    private final QemuProcess qemu;
    private final Duration timeout;
    private long seq;

    Mailbox(GuestRam ram, QemuProcess qemu, Duration timeout) {
        this.ram = ram;
        this.buf = ram.buffer();
        this.at = (int) (GuestStub.MAILBOX - GuestRam.BASE);
        this.qemu = qemu;
        this.timeout = timeout;
    }

    /** Waits, up to {@code budget}, for the stub to publish its ready word. */
    void awaitReady(Duration budget) {
        long end = System.nanoTime() + budget.toNanos();
        for (int polls = 0; (long) U64.getAcquire(buf, at + READY) != GuestStub.READY_MAGIC; polls++) {
            if (!qemu.isAlive()) {
                throw qemu.lost("before the guest stub came up");
            }
            if (System.nanoTime() - end >= 0) {
                throw new DeviceTimeoutException("bring the guest stub up (no ready word in the mailbox)", budget);
            }
            try {
                Thread.sleep(1); // QEMU takes about 0.1 s to start: no need to spin meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the guest stub", e);
            }
        }
    }

    /** Reads {@code width} (1, 2, 4, 8) bytes at guest-physical {@code address}, zero-extended. */
    synchronized long read(long address, int width) {
        return access(OP_READ + op(width), address, 0, width);
    }

    synchronized void write(long address, int width, long value) {
        access(OP_WRITE + op(width), address, value, width);
    }

    private static int op(int width) {
        return switch (width) {
            case 1 -> 1;
            case 2 -> 2;
            case 4 -> 3;
            case 8 -> 4;
            default -> throw new IllegalArgumentException("MMIO access width " + width);
        };
    }

    private long access(int op, long address, long value, int width) {
        if (!ram.isMapped()) {
            throw new IllegalStateException("MMIO access through the mailbox of a closed QEMU session");
        }
        long s = ++seq;
        U64.set(buf, at + OP, (long) op);
        U64.set(buf, at + ADDR, address);
        U64.set(buf, at + VALUE, value);
        U64.setRelease(buf, at + SEQ, s);
        long end = 0;
        for (int polls = 0; (long) U64.getAcquire(buf, at + ACK) != s; polls++) {
            if (polls % CHECK_EVERY == CHECK_EVERY - 1) {
                long now = System.nanoTime();
                if (end == 0) {
                    end = now + timeout.toNanos();
                } else if (now - end >= 0) {
                    if (!qemu.isAlive()) {
                        throw qemu.lost("during " + describe(op, address, value, width));
                    }
                    throw new DeviceTimeoutException("answer " + describe(op, address, value, width)
                            + " (guest stub did not acknowledge)", timeout);
                }
                if (polls >= SPINS && !qemu.isAlive()) {
                    throw qemu.lost("during " + describe(op, address, value, width));
                }
            }
            pause(polls);
        }
        if ((long) U64.get(buf, at + STATUS) == STATUS_FAULT) {
            throw new StubFaultException(describe(op, address, value, width), (long) U64.get(buf, at + ESR),
                    (long) U64.get(buf, at + FAR));
        }
        return (long) U64.get(buf, at + RESULT);
    }

    private static String describe(int op, long address, long value, int width) {
        return op > OP_WRITE ? String.format("a %d-bit write of 0x%x at 0x%x", width * 8, value, address)
                : String.format("a %d-bit read at 0x%x", width * 8, address);
    }

    private static void pause(int polls) {
        if (polls < SPINS) {
            Thread.onSpinWait();
        } else {
            // On two cores the spinning vCPU and this thread would starve QEMU's I/O thread: give way.
            Thread.yield();
        }
    }
}
