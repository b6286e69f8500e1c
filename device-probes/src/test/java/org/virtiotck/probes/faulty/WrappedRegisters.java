package org.virtiotck.probes.faulty;

import org.virtiotck.driver.transport.MmioBus;

/** A register file that passes every access to a correct one unless a faulty subclass says otherwise. */
class WrappedRegisters implements MmioBus {
    protected final MmioBus correct;

    WrappedRegisters(MmioBus correct) {
        this.correct = correct;
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
