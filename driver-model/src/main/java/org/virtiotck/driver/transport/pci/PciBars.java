package org.virtiotck.driver.transport.pci;

import static org.virtiotck.driver.transport.pci.PciConfigSpace.*;

/**
 * The six BAR registers of a type-0 function, decoded and sized. Sizing writes all-ones and reads the mask back,
 * so memory and I/O decode are off meanwhile and every register is restored.
 */
final class PciBars {
    /** One BAR register as decoded. {@code problem} is set for a memory BAR that cannot be used. */
    record Bar(int index, int raw, boolean io, boolean wide, long address, long size, int upperHalfOf,
            String problem) {
    }

    private final Bar[] bars;

    private PciBars(Bar[] bars) {
        this.bars = bars;
    }

    static PciBars read(PciConfigSpace config) {
        int command = config.read(COMMAND, 2);
        config.write(COMMAND, 2, command & ~(COMMAND_MEMORY_SPACE | COMMAND_IO_SPACE));
        try {
            return new PciBars(readDecodeOff(config));
        } finally {
            config.write(COMMAND, 2, command);
        }
    }

    /** BAR {@code index}, or null past BAR5. */
    Bar get(int index) {
        return index < bars.length ? bars[index] : null;
    }

    /** See {@link PciTransport#assignBars}. */
    static long assign(PciConfigSpace config, long base) {
        int command = config.read(COMMAND, 2);
        config.write(COMMAND, 2, command & ~(COMMAND_MEMORY_SPACE | COMMAND_IO_SPACE));
        try {
            long next = base;
            for (Bar b : readDecodeOff(config)) {
                if (b.io || b.size == 0 || b.upperHalfOf >= 0) {
                    continue;
                }
                if (b.problem != null) {
                    throw new PciLayoutException(String.format("BAR %d (reads 0x%08x) %s", b.index, b.raw, b.problem));
                }
                long address = (next + b.size - 1) & -b.size;
                if (!b.wide && address + b.size > 1L << 32) {
                    throw new PciLayoutException(String.format("32-bit BAR %d of 0x%x bytes does not fit below 4 GiB "
                            + "from 0x%x", b.index, b.size, address));
                }
                int reg = BAR0 + 4 * b.index;
                config.write(reg, 4, (int) address);
                if (b.wide) {
                    config.write(reg + 4, 4, (int) (address >>> 32));
                }
                next = address + b.size;
            }
            return next;
        } finally {
            config.write(COMMAND, 2, command);
        }
    }

    /** Where the MSI-X table or PBA register at {@code reg} points; BAR address and size 0 when its BIR names no usable memory BAR. */
    Msix.Placement placement(PciConfigSpace config, int reg) {
        int raw = config.read(reg, 4);
        int bir = raw & Msix.BIR;
        long offset = Integer.toUnsignedLong(raw & ~Msix.BIR);
        Bar b = get(bir);
        boolean usable = b != null && !b.io && b.upperHalfOf < 0 && b.problem == null;
        return new Msix.Placement(bir, offset, usable ? b.address : 0, usable ? b.size : 0);
    }

    /** Decodes and sizes BAR0..5; the caller has turned decode off. */
    private static Bar[] readDecodeOff(PciConfigSpace config) {
        Bar[] bars = new Bar[6];
        for (int i = 0; i < 6; i++) {
            int reg = BAR0 + 4 * i;
            int raw = config.read(reg, 4);
            if ((raw & 1) != 0) {
                bars[i] = new Bar(i, raw, true, false, raw & ~3, 0, -1, null);
                continue;
            }
            int type = raw >>> 1 & 3;
            if (type == 1 || type == 3) {
                bars[i] = new Bar(i, raw, false, false, 0, 0, -1, "has the reserved memory type " + type);
                continue;
            }
            boolean wide = type == 2;
            if (wide && i == 5) {
                bars[i] = new Bar(i, raw, false, true, 0, 0, -1, "is 64-bit but has no BAR after it for the upper half");
                continue;
            }
            int rawHigh = wide ? config.read(reg + 4, 4) : 0;
            config.write(reg, 4, -1);
            if (wide) {
                config.write(reg + 4, 4, -1);
            }
            long maskLow = config.read(reg, 4) & 0xffff_fff0L;
            long maskHigh = wide ? Integer.toUnsignedLong(config.read(reg + 4, 4)) : 0xffff_ffffL;
            config.write(reg, 4, raw);
            if (wide) {
                config.write(reg + 4, 4, rawHigh);
            }
            long mask = maskHigh << 32 | maskLow;
            long size = maskLow == 0 && (!wide || maskHigh == 0) ? 0 : -mask;
            long address = Integer.toUnsignedLong(rawHigh) << 32 | raw & 0xffff_fff0L;
            String problem = size != 0 && Long.bitCount(size) != 1
                    ? String.format("reads back the size mask 0x%x, not a run of ones from the top", mask) : null;
            bars[i] = new Bar(i, raw, false, wide, address, size, -1, problem);
            if (wide) {
                bars[i + 1] = new Bar(i + 1, rawHigh, false, false, 0, 0, i, null);
                i++;
            }
        }
        return bars;
    }
}
