package org.virtiotck.probes.faulty;

import java.util.function.LongUnaryOperator;
import org.virtiotck.driver.transport.MmioBus;

/** A register file that passes every access to a correct one unless a faulty subclass says otherwise. */
class WrappedRegisters implements MmioBus {
    protected final MmioBus correct;

    WrappedRegisters(MmioBus correct) {
        this.correct = correct;
    }

    /** The correct register file with the value read from {@code register} changed by {@code patch}. */
    static MmioBus patchingRead(MmioBus correct, long register, LongUnaryOperator patch) {
        return new WrappedRegisters(correct) {
            @Override
            public long read(long offset, int width) {
                long v = super.read(offset, width);
                return offset == register ? patch.applyAsLong(v) : v;
            }
        };
    }

    @Override
    public long read(long offset, int width) {
        return correct.read(offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        correct.write(offset, width, value);
    }
}
