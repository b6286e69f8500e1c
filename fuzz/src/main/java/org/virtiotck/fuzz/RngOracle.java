package org.virtiotck.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.session.EntropySource;
import org.virtiotck.harness.session.Session;

/**
 * Judges entropy requests: each completes with used len at least 1 (§5.4.6.2) and at most its buffer. Where the
 * target exposes its {@link EntropySource}, the bytes handed out are checked too: the first used-len bytes of the
 * used buffers, in completion order, are exactly the bytes the device took from the source, and at the end of a
 * batch (every request completed) it took none it did not hand out.
 */
final class RngOracle implements DeviceOracle {
    private final GuestMemory memory;
    private final Optional<EntropySource> source;
    /** Bytes the device took from the source and has not yet handed out in a used buffer. */
    private final ByteArrayOutputStream unclaimed = new ByteArrayOutputStream();

    RngOracle(Session session) {
        this.memory = session.memory();
        this.source = session.farSide(EntropySource.class);
        source.ifPresent(EntropySource::unlimited);
        relearn();
    }

    @Override
    public void relearn() {
        source.ifPresent(EntropySource::drainProvided);
        unclaimed.reset();
    }

    @Override
    public Prepared prepare(int index, FuzzRequest request, Allocator alloc) {
        RngFuzzRequest r = (RngFuzzRequest) request;
        List<Buffer> in = Pieces.writable(alloc, r.bytes(), r.cuts());
        return new Prepared(0, List.of(), in, r.indirect(), (c, out) -> judge(index, r, c.usedLen(), in, out));
    }

    private void judge(int index, RngFuzzRequest r, long usedLen, List<Buffer> in, Findings out) {
        if (usedLen < 1 || usedLen > r.bytes()) {
            out.add(index, "used-len", "entropy request of " + r.bytes() + " bytes completed with used len " + usedLen
                    + "; §5.4.6.2 wants 1 to " + r.bytes());
            return;
        }
        if (source.isEmpty()) {
            return;
        }
        unclaimed.writeBytes(source.get().drainProvided());
        byte[] taken = unclaimed.toByteArray();
        byte[] handed = Pieces.read(memory, in, usedLen);
        if (taken.length < handed.length) {
            out.add(index, "entropy", "used len " + usedLen + " claims more bytes than the device took from its"
                    + " source (" + taken.length + ")");
            unclaimed.reset();
            return;
        }
        int differs = Arrays.mismatch(handed, Arrays.copyOf(taken, handed.length));
        if (differs >= 0) {
            out.add(index, "entropy", "byte " + differs + " of the " + usedLen + " handed out is not the source's");
        }
        unclaimed.reset();
        unclaimed.write(taken, handed.length, taken.length - handed.length);
    }

    @Override
    public void endBatch(Findings out) {
        if (source.isEmpty()) {
            return;
        }
        unclaimed.writeBytes(source.get().drainProvided());
        if (unclaimed.size() > 0) {
            out.add(-1, "entropy", "the device took " + unclaimed.size() + " bytes from its source that no used"
                    + " buffer handed out");
        }
        unclaimed.reset();
    }
}
