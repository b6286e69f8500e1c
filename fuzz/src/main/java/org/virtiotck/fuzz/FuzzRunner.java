package org.virtiotck.fuzz;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.DeviceNeedsResetException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.FeatureNotOfferedException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.NegotiationException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Runs fuzz cases against one target variant, keeping its session open from case to case (every batch starts
 * with a reset anyway) and opening a new one after the device stopped answering. Each case gets a driver of its
 * own, so the driver model's findings are the case's. The oracles: the driver model's findings (used ids and
 * lens, writes outside device-writable buffers), the device type's {@link DeviceOracle}, and liveness (every
 * well-formed request completes before the target's deadline, and no batch ends with DEVICE_NEEDS_RESET).
 */
public final class FuzzRunner implements AutoCloseable {
    /** Largest ring a batch asks for; a step never needs more descriptors than this. */
    public static final int QUEUE_SIZE = 16;

    private final TargetVariant variant;
    private final DeviceFuzz fuzz;
    private final Function<TargetVariant, Session> opener;
    private Session session;
    private DeviceOracle oracle;

    public FuzzRunner(TargetVariant variant) {
        this(variant, Sessions::open);
    }

    /** Opens sessions with {@code opener}: the benchmark's, for a back-end it started with its disk image. */
    public FuzzRunner(TargetVariant variant, Function<TargetVariant, Session> opener) {
        this.variant = variant;
        this.opener = opener;
        this.fuzz = DeviceFuzzes.of(Sessions.deviceType(variant)).orElseThrow(() -> new IllegalArgumentException(
                "target " + variant.canonical() + " is a device type the fuzzer has no requests for"));
    }

    public TargetVariant variant() {
        return variant;
    }

    public DeviceFuzz deviceFuzz() {
        return fuzz;
    }

    /** Runs {@code fuzzCase}; empty when the device behaved. */
    public List<FuzzFinding> run(FuzzCase fuzzCase) {
        if (session == null) {
            session = opener.apply(variant);
            oracle = fuzz.attach(session);
        }
        VirtioDriver driver = new VirtioDriver(session.transport(), session.allocator(), variant.timeout(),
                variant.policy());
        Findings out = new Findings();
        int index = 0;
        try {
            for (Batch batch : fuzzCase.batches()) {
                start(driver, fuzzCase);
                for (Step step : batch.steps()) {
                    run(driver, step, index, out);
                    index += step.requests().size();
                }
                oracle.endBatch(out);
            }
        } catch (DeviceTimeoutException | DeviceNeedsResetException | DeviceLostException e) {
            out.add(index, "liveness", e.getMessage());
            close();
        } catch (NegotiationException | FeatureNotOfferedException e) {
            out.add(-1, "negotiation", e.getMessage());
        }
        for (Finding f : driver.findings()) {
            out.add(-1, "driver", f.toString());
        }
        FuzzStats.record(out);
        if (!out.isEmpty() && oracle != null) {
            oracle.relearn();
        }
        return out.list();
    }

    private void start(VirtioDriver driver, FuzzCase fuzzCase) {
        driver.negotiate(fuzz.features().or(fuzzCase.features()));
        for (int q = 0; q < fuzz.queues(); q++) {
            driver.setupQueue(q, QUEUE_SIZE);
        }
        oracle.startBatch(driver);
        driver.driverOk();
    }

    /** Makes the step's requests available together, notifies each queue once, and judges every completion. */
    private void run(VirtioDriver driver, Step step, int first, Findings out) {
        Allocator alloc = session.allocator();
        Allocator.Mark mark = alloc.mark();
        Map<Virtqueue, Map<Chain, Prepared>> pending = new LinkedHashMap<>();
        for (int i = 0; i < step.requests().size(); i++) {
            Prepared p = oracle.prepare(first + i, step.requests().get(i), alloc);
            Virtqueue q = driver.queue(p.queue());
            boolean indirect = p.indirect() && q.features().indirect() && p.descriptors() <= q.maxIndirect();
            if (q.freeDescriptors() < (indirect ? 1 : p.descriptors())) {
                throw new IllegalArgumentException("step " + step + " needs more descriptors than queue "
                        + q.index() + " of size " + q.size() + " has");
            }
            pending.computeIfAbsent(q, k -> new HashMap<>()).put(q.add(p.readable(), p.writable(), indirect), p);
        }
        pending.keySet().forEach(driver::kick);
        for (Map.Entry<Virtqueue, Map<Chain, Prepared>> e : pending.entrySet()) {
            Map<Chain, Prepared> inFlight = e.getValue();
            while (!inFlight.isEmpty()) {
                Completion c = driver.await(e.getKey());
                Prepared p = inFlight.remove(c.chain());
                if (p == null) {
                    out.add(first, "used-id", "queue " + e.getKey().index() + " returned " + c.chain()
                            + ", which is not in flight");
                    return;
                }
                p.judge().judge(c, out);
            }
        }
        for (Finding f : alloc.integrityFindings()) {
            out.add(first, "driver", f.toString());
        }
        alloc.rewind(mark);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
            oracle = null;
        }
    }
}
