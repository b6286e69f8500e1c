package org.virtiotck.driver.transport.pci;

import java.util.BitSet;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.MmioBus;

/**
 * A function's MSI-X capability (PCI Local Bus 3.0 §6.8.2) as the driver uses it: the vector count, where the
 * table and the Pending Bit Array are, and turning MSI-X on with every vector aimed at a mailbox in guest memory.
 *
 * <p>An MSI-X message is a 32-bit memory write of an entry's Message Data to its Message Address. On a real
 * platform the address is an interrupt controller's; here {@link #enable} aims vector v at the 4-byte slot
 * {@code mailbox + 4v} of guest RAM with the data {@code DATA_TAG | v}, so the driver sees a message as that value
 * appearing in the slot, and {@link #takeMessages} clears each slot it reports. A device needs nothing but to
 * send its messages as any PCI function does; the tag is neither 0 nor a byte pattern the allocator fills with,
 * so neither a fresh nor a stale slot passes for a message.
 */
public final class Msix {
    public static final int CAP_ID = 0x11;
    /** Offsets in the capability: Message Control (u16), Table Offset/BIR and PBA Offset/BIR (u32 each). */
    public static final int MESSAGE_CONTROL = 2;
    public static final int TABLE = 4;
    public static final int PBA = 8;
    /** Message Control bits. */
    public static final int TABLE_SIZE = 0x7ff;
    public static final int FUNCTION_MASK = 0x4000;
    public static final int ENABLE = 0x8000;
    /** The BAR indicator in the low three bits of the table and PBA registers; the offset is the rest. */
    public static final int BIR = 7;
    /** Table entry layout. */
    public static final int ENTRY_SIZE = 16;
    public static final int ENTRY_ADDRESS = 0;
    public static final int ENTRY_UPPER_ADDRESS = 4;
    public static final int ENTRY_DATA = 8;
    public static final int ENTRY_VECTOR_CONTROL = 12;
    public static final int VECTOR_MASKED = 1;
    /** Message Data of vector v is {@code DATA_TAG | v}. */
    public static final int DATA_TAG = 0x4d58_0000;

    /** Where one of the MSI-X structures lives: its BAR, the offset there, the BAR's address and size. */
    public record Placement(int bar, long offset, long barAddress, long barSize) {
        public long address() {
            return barAddress + offset;
        }
    }

    private final PciConfigSpace config;
    private final MmioBus bus;
    private final int position;
    private final Placement table;
    private final Placement pba;
    private GuestMemory memory;
    private long mailbox;

    Msix(PciConfigSpace config, MmioBus bus, int position, Placement table, Placement pba) {
        this.config = config;
        this.bus = bus;
        this.position = position;
        this.table = table;
        this.pba = pba;
    }

    public int position() {
        return position;
    }

    /** Message Control as it reads now. */
    public int messageControl() {
        return config.read(position + MESSAGE_CONTROL, 2);
    }

    /** Table Size + 1: the number of vectors the function reports. */
    public int vectors() {
        return (messageControl() & TABLE_SIZE) + 1;
    }

    public boolean enabled() {
        return (messageControl() & ENABLE) != 0;
    }

    public Placement table() {
        return table;
    }

    public Placement pba() {
        return pba;
    }

    /** One 32-bit word of the table: {@code field} is one of the ENTRY_ offsets. */
    public long entry(int vector, int field) {
        return bus.read(table.address() + (long) vector * ENTRY_SIZE + field, 4);
    }

    public void writeEntry(int vector, int field, long value) {
        bus.write(table.address() + (long) vector * ENTRY_SIZE + field, 4, value);
    }

    /** Whether the vector's bit in the Pending Bit Array is set. */
    public boolean pending(int vector) {
        long word = bus.read(pba.address() + vector / 32 * 4L, 4);
        return (word >>> vector % 32 & 1) != 0;
    }

    /**
     * Aims every vector at its slot of {@code mailbox} (4 bytes per vector, in guest memory the device can write),
     * unmasks them, and sets MSI-X Enable with the function unmasked. Every vector reported is programmed, so a
     * function whose table is shorter than its Table Size says shows it here.
     */
    public void enable(GuestMemory memory, long mailbox) {
        int n = vectors();
        for (int v = 0; v < n; v++) {
            memory.putU32(mailbox + 4L * v, 0);
            writeEntry(v, ENTRY_ADDRESS, (mailbox + 4L * v) & 0xffff_ffffL);
            writeEntry(v, ENTRY_UPPER_ADDRESS, (mailbox + 4L * v) >>> 32);
            writeEntry(v, ENTRY_DATA, DATA_TAG | v);
            writeEntry(v, ENTRY_VECTOR_CONTROL, 0);
        }
        this.memory = memory;
        this.mailbox = mailbox;
        int control = messageControl();
        config.write(position + MESSAGE_CONTROL, 2, (control | ENABLE) & ~FUNCTION_MASK);
    }

    /** Whether {@link #enable} aimed the vectors at a mailbox and MSI-X is still enabled. */
    public boolean delivering() {
        return memory != null && enabled();
    }

    /** The vectors whose message arrived since the last call (nothing before {@link #enable}); their slots are cleared. */
    public BitSet takeMessages() {
        BitSet fired = new BitSet();
        if (memory == null) {
            return fired;
        }
        int n = vectors();
        for (int v = 0; v < n; v++) {
            long slot = mailbox + 4L * v;
            if (memory.u32(slot) == (DATA_TAG | v)) {
                memory.putU32(slot, 0);
                fired.set(v);
            }
        }
        return fired;
    }

    @Override
    public String toString() {
        return String.format("MSI-X@0x%02x{%d vectors, table BAR %d +0x%x, PBA BAR %d +0x%x}", position, vectors(),
                table.bar(), table.offset(), pba.bar(), pba.offset());
    }
}
