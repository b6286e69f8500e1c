package org.virtiotck.harness.inproc;

import java.util.SplittableRandom;
import org.virtiotck.harness.session.EntropySource;

/**
 * The in-process rng's entropy: a seeded pseudo-random byte stream, so that a run reproduces, behind the budget
 * a probe controls through {@link EntropySource}. The stream is the same whatever sizes the requests cut it into:
 * the n-th byte served is always the n-th byte of the seed's stream. Every byte served is also logged for
 * {@link #drainProvided()}.
 */
final class SeededEntropy implements EntropySource, ByteSupply {
    /** More bytes than any run takes, so an unlimited budget needs no case of its own: it just never runs out. */
    private static final long UNLIMITED = Long.MAX_VALUE;

    private final SplittableRandom random;
    /** Called, outside this object's lock, when more bytes became available: lets the device serve waiting requests. */
    private final Runnable more;
    private final ByteFifo provided = new ByteFifo();
    /** Unused bytes of the last 64-bit word drawn, low byte first. */
    private long word;
    private int wordBytes;
    private long budget = UNLIMITED;

    SeededEntropy(long seed, Runnable more) {
        this.random = new SplittableRandom(seed);
        this.more = more;
    }

    @Override
    public synchronized long available() {
        return budget;
    }

    @Override
    public synchronized byte[] take(int max) {
        byte[] out = new byte[(int) Math.min(Math.max(max, 0), budget)];
        for (int i = 0; i < out.length; i++) {
            if (wordBytes == 0) {
                word = random.nextLong();
                wordBytes = Long.BYTES;
            }
            out[i] = (byte) word;
            word >>>= 8;
            wordBytes--;
        }
        budget -= out.length;
        provided.append(out);
        return out;
    }

    @Override
    public void supply(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot supply " + bytes + " bytes");
        }
        synchronized (this) {
            budget += Math.min(bytes, UNLIMITED - budget);    // saturates instead of overflowing
        }
        more.run();
    }

    @Override
    public synchronized void starve() {
        budget = 0;
    }

    @Override
    public void unlimited() {
        synchronized (this) {
            budget = UNLIMITED;
        }
        more.run();
    }

    @Override
    public byte[] drainProvided() {
        return provided.takeAll();
    }
}
