package org.virtiotck.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.harness.session.ConsoleHost;
import org.virtiotck.harness.session.Session;

/**
 * Judges console requests on port 0. Every transmit completes; a receive buffer completes with used len at most
 * its size. Where the target exposes the {@link ConsoleHost}: the host receives exactly the transmitted bytes, in
 * the order they were made available, by the end of the batch (checked as they arrive, then awaited until the
 * target's deadline); and each receive request first sends as many bytes from the host as its buffer holds, so
 * that every posted buffer gets at least one byte and is awaited, and the bytes received, in completion order,
 * are the bytes sent. Without a host end, receive buffers stay posted and are only judged if something arrives.
 *
 * <p>Host input is one stream across batches: the spec does not say whether a reset drops bytes the device holds
 * for the driver, and a device that fills buffers greedily holds none at the end of a batch anyway. After a case
 * with findings, the oracle assumes the device holds nothing.
 */
final class ConsoleOracle implements DeviceOracle {
    private final GuestMemory memory;
    private final Optional<ConsoleHost> host;
    private final Duration timeout;
    private final StreamCheck output = new StreamCheck();
    private final StreamCheck input = new StreamCheck();
    /** The host's output went wrong this batch: waiting for the rest of it would tell nothing more. */
    private boolean outputWrong;

    ConsoleOracle(Session session) {
        this.memory = session.memory();
        this.host = session.farSide(ConsoleHost.class);
        this.timeout = session.target().timeout();
        relearn();
    }

    @Override
    public void relearn() {
        output.reset();
        outputWrong = false;
        input.reset();
        host.ifPresent(ConsoleHost::drainFromDriver);
    }

    @Override
    public Prepared prepare(int index, FuzzRequest request, Allocator alloc) {
        ConsoleFuzzRequest r = (ConsoleFuzzRequest) request;
        byte[] data = new byte[r.bytes()];
        new Random(31L * index + r.bytes()).nextBytes(data);
        if (r.direction() == Direction.TRANSMIT) {
            return new Prepared(1, Pieces.readable(alloc, data, r.cuts()), List.of(), r.indirect(),
                    (c, out) -> host.ifPresent(h -> checkOutput(index, h.drainFromDriver(), out)))
                    .offering(() -> host.ifPresent(h -> output.sent(data)));
        }
        List<Buffer> in = Pieces.writable(alloc, r.bytes(), r.cuts());
        Prepared p = new Prepared(0, List.of(), in, r.indirect(), (c, out) -> judgeReceive(index, r, c.usedLen(), in, out));
        if (host.isEmpty()) {
            return p.notAwaited();
        }
        return p.offering(() -> {
            input.sent(data);
            host.get().sendToDriver(data);
        });
    }

    private void checkOutput(int index, byte[] arrived, Findings out) {
        long differs = output.arrived(arrived);
        if (differs >= 0) {
            outputWrong = true;
            out.add(index, "console-output", "the host received byte " + differs + " of the transmitted stream wrong"
                    + " (" + output.sentBytes() + " bytes transmitted so far)");
        }
    }

    private void judgeReceive(int index, ConsoleFuzzRequest r, long usedLen, List<Buffer> in, Findings out) {
        if (usedLen > r.bytes()) {
            out.add(index, "used-len", "receive buffer of " + r.bytes() + " bytes came back with used len " + usedLen);
            return;
        }
        if (host.isPresent()) {
            long differs = input.arrived(Pieces.read(memory, in, usedLen));
            if (differs >= 0) {
                out.add(index, "console-input", "byte " + differs + " of the host's input stream arrived wrong in a "
                        + usedLen + "-byte receive buffer (" + input.sentBytes() + " bytes sent so far)");
            }
        }
    }

    @Override
    public void endBatch(Findings out) {
        if (host.isEmpty()) {
            return;
        }
        int missing = output.missing();
        if (missing > 0 && !outputWrong) {
            checkOutput(-1, host.get().fromDriverWithin(missing, Deadline.after(timeout)), out);
        }
        if (output.missing() > 0 && !outputWrong) {
            out.add(-1, "console-output", output.missing() + " of the " + output.sentBytes()
                    + " bytes transmitted never reached the host");
        }
        output.reset();
        outputWrong = false;
    }
}
