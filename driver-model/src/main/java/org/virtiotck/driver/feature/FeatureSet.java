package org.virtiotck.driver.feature;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of up to 128 feature bits, read and written 32 bits at a time through a feature
 * select register (select 0..3).
 */
public final class FeatureSet {
    public static final int BITS = 128;
    public static final FeatureSet NONE = new FeatureSet(0, 0);

    private final long low;
    private final long high;

    private FeatureSet(long low, long high) {
        this.low = low;
        this.high = high;
    }

    public static FeatureSet of(Feature... features) {
        FeatureSet s = NONE;
        for (Feature f : features) {
            s = s.with(f.bit());
        }
        return s;
    }

    public static FeatureSet ofBits(long low64) {
        return new FeatureSet(low64, 0);
    }

    /** Builds a set from four 32-bit words as read through select 0..3. */
    public static FeatureSet ofWords(long[] words) {
        FeatureSet s = NONE;
        for (int sel = 0; sel < words.length; sel++) {
            s = s.withWord(sel, words[sel]);
        }
        return s;
    }

    public boolean has(int bit) {
        checkBit(bit);
        return bit < 64 ? (low >>> bit & 1) != 0 : (high >>> (bit - 64) & 1) != 0;
    }

    public boolean has(Feature f) {
        return has(f.bit());
    }

    public FeatureSet with(int bit) {
        checkBit(bit);
        return bit < 64 ? new FeatureSet(low | 1L << bit, high) : new FeatureSet(low, high | 1L << (bit - 64));
    }

    public FeatureSet with(Feature f) {
        return with(f.bit());
    }

    public FeatureSet without(Feature f) {
        int bit = f.bit();
        return bit < 64 ? new FeatureSet(low & ~(1L << bit), high) : new FeatureSet(low, high & ~(1L << (bit - 64)));
    }

    public FeatureSet and(FeatureSet other) {
        return new FeatureSet(low & other.low, high & other.high);
    }

    public FeatureSet or(FeatureSet other) {
        return new FeatureSet(low | other.low, high | other.high);
    }

    public FeatureSet minus(FeatureSet other) {
        return new FeatureSet(low & ~other.low, high & ~other.high);
    }

    public boolean isEmpty() {
        return low == 0 && high == 0;
    }

    /** The 32-bit word seen through feature select {@code sel} (0..3). */
    public long word(int sel) {
        if (sel < 0 || sel > 3) {
            return 0;
        }
        long w = sel < 2 ? low : high;
        return (sel % 2 == 0 ? w : w >>> 32) & 0xffffffffL;
    }

    public FeatureSet withWord(int sel, long word) {
        if (sel < 0 || sel > 3) {
            throw new IllegalArgumentException("feature select " + sel + " is outside 0..3");
        }
        long w = word & 0xffffffffL;
        int shift = sel % 2 == 0 ? 0 : 32;
        long mask = 0xffffffffL << shift;
        return sel < 2 ? new FeatureSet(low & ~mask | w << shift, high) : new FeatureSet(low, high & ~mask | w << shift);
    }

    private static void checkBit(int bit) {
        if (bit < 0 || bit >= BITS) {
            throw new IllegalArgumentException("feature bit " + bit + " is outside 0.." + (BITS - 1));
        }
    }

    /** Names for the bits set, using the device type's names where it has them: "VERSION_1|BLK_F_FLUSH|bit 50". */
    public String describe(DeviceType type) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < BITS; bit++) {
            if (has(bit)) {
                Feature f = Feature.of(bit, type);
                names.add(f != null ? f.specName() : "bit " + bit);
            }
        }
        return names.isEmpty() ? "none" : String.join("|", names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSet other && other.low == low && other.high == high;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low) * 31 + Long.hashCode(high);
    }

    @Override
    public String toString() {
        return high == 0 ? String.format("0x%x", low) : String.format("0x%x%016x", high, low);
    }
}
