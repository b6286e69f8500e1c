package org.virtiotck.harness.inproc;

import java.util.Arrays;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.pci.Msix;

/**
 * The MSI-X table and Pending Bit Array of a PCI function (PCI Local Bus 3.0 §6.8.2), and the sending of its
 * messages. Each 16-byte entry holds Message Address (low, high), Message Data and Vector Control, whose bit 0
 * masks the vector; entries start masked. Software reaches the table and the PBA with aligned 32-bit accesses;
 * other accesses read 0 and are dropped, and the PBA is read-only.
 *
 * <p>A message is what MSI-X is on the bus: a posted 32-bit memory write of the entry's Message Data to its
 * Message Address. This model performs it as a write into guest memory, where the driver that aimed the vector
 * there finds the value (the driver model's {@code Msix} does exactly that). An address outside guest memory is a
 * write no one claims, dropped as on a bus without a target. A vector that may not send (masked, or the function
 * cannot send now) gets its pending bit instead and sends once it may.
 */
final class MsixTable {
    static final int ENTRY_SIZE = Msix.ENTRY_SIZE;
    static final int ENTRY_DATA = Msix.ENTRY_DATA;
    static final int ENTRY_VECTOR_CONTROL = Msix.ENTRY_VECTOR_CONTROL;
    static final int VECTOR_MASKED = Msix.VECTOR_MASKED;

    private final GuestMemory memory;
    /** Four 32-bit words per entry. */
    private final int[] words;
    private final boolean[] pending;

    MsixTable(int vectors, GuestMemory memory) {
        this.memory = memory;
        this.words = new int[vectors * ENTRY_SIZE / 4];
        this.pending = new boolean[vectors];
        reset();
    }

    int vectors() {
        return pending.length;
    }

    /** The state after a function reset: every entry zero and masked, nothing pending. */
    void reset() {
        Arrays.fill(words, 0);
        Arrays.fill(pending, false);
        for (int v = 0; v < pending.length; v++) {
            words[(v * ENTRY_SIZE + ENTRY_VECTOR_CONTROL) / 4] = VECTOR_MASKED;
        }
    }

    long readTable(long offset, int width) {
        return dword(offset, width) && offset < words.length * 4L ? Integer.toUnsignedLong(words[(int) offset / 4]) : 0;
    }

    /** A write to the table; unmasking a pending vector lets it send when {@code functionMaySend}. */
    void writeTable(long offset, int width, long value, boolean functionMaySend) {
        if (!dword(offset, width) || offset >= words.length * 4L) {
            return;
        }
        int word = (int) offset / 4;
        int field = (int) offset % ENTRY_SIZE;
        // Bits 1:0 of Message Address and bits 31:1 of Vector Control are reserved and read 0.
        int mask = field == 0 ? ~3 : field == ENTRY_VECTOR_CONTROL ? VECTOR_MASKED : -1;
        words[word] = (int) value & mask;
        sendPending(functionMaySend);
    }

    long readPba(long offset, int width) {
        if (!dword(offset, width)) {
            return 0;
        }
        long bits = 0;
        for (int i = 0; i < 32; i++) {
            int v = (int) offset * 8 + i;
            if (v < pending.length && pending[v]) {
                bits |= 1L << i;
            }
        }
        return bits;
    }

    boolean pending(int vector) {
        return pending[vector];
    }

    /**
     * Vector {@code vector} has an interrupt for the driver: its message goes out now if the function may send
     * and the entry is unmasked, else its pending bit is set. A number outside the table signals nothing.
     */
    void signal(int vector, boolean functionMaySend) {
        if (vector < 0 || vector >= pending.length) {
            return;
        }
        if (functionMaySend && !masked(vector)) {
            send(vector);
        } else {
            pending[vector] = true;
        }
    }

    /** Sends, and clears the pending bit of, every pending vector that may send now. */
    void sendPending(boolean functionMaySend) {
        if (!functionMaySend) {
            return;
        }
        for (int v = 0; v < pending.length; v++) {
            if (pending[v] && !masked(v)) {
                pending[v] = false;
                send(v);
            }
        }
    }

    private boolean masked(int vector) {
        return (words[(vector * ENTRY_SIZE + ENTRY_VECTOR_CONTROL) / 4] & VECTOR_MASKED) != 0;
    }

    private void send(int vector) {
        int base = vector * ENTRY_SIZE / 4;
        long address = Integer.toUnsignedLong(words[base]) | Integer.toUnsignedLong(words[base + 1]) << 32;
        if (memory.contains(address, 4)) {
            memory.putU32(address, Integer.toUnsignedLong(words[base + ENTRY_DATA / 4]));
        }
    }

    private static boolean dword(long offset, int width) {
        return width == 4 && offset % 4 == 0 && offset >= 0;
    }
}
