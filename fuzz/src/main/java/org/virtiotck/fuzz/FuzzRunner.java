package org.virtiotck.fuzz;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.virtiotck.driver.Deadline;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.DeviceNeedsResetException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.FeatureNotOfferedException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.NegotiationException;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.inproc.InprocDevices;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.vhostuser.linux.NativeCallException;
import org.virtiotck.harness.vhostuser.protocol.VhostUserProtocolException;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Runs fuzz cases against one target variant, keeping its session open from case to case (every batch starts
 * with a reset anyway) and opening a new one after the device stopped answering. Each case gets a driver of its
 * own, so the driver model's findings are the case's. The oracles: the driver model's findings (used ids and
 * lens, writes outside device-writable buffers), the device type's {@link DeviceOracle}, used buffer
 * notifications where asked for, and liveness (every well-formed request it awaits completes before the target's
 * deadline, and no batch ends with DEVICE_NEEDS_RESET). A
 * batch's {@link Mutation} is judged by {@link MutatedRequest}; the next batch, or after the last one a request of
 * its own on a reset device, shows the device still serves. Requests are numbered in case order, a mutation's
 * after its batch's steps.
 */
public final class FuzzRunner implements AutoCloseable {
    /** The used buffer cause of {@code Transport.takeInterrupts()}. */
    private static final int USED_BUFFER = 1;
    /** Largest ring a batch asks for; a step never needs more descriptors than this. */
    public static final int QUEUE_SIZE = 16;

    private final TargetVariant variant;
    private final DeviceFuzz fuzz;
    private Session session;
    private DeviceOracle oracle;
    /** Requests of the running batch made available without being awaited, and not yet completed, per queue. */
    private final Map<Virtqueue, Map<Chain, Prepared>> posted = new LinkedHashMap<>();
    /** Where to rewind the allocator once nothing is posted any more; null while it may rewind each step. */
    private Allocator.Mark held;
    /** The running case's driver; a new one where a mutation cost the connection. */
    private VirtioDriver driver;

    public FuzzRunner(TargetVariant variant) {
        this.variant = variant;
        this.fuzz = DeviceFuzzes.of(Sessions.deviceType(variant)).orElseThrow(() -> new IllegalArgumentException(
                "target " + variant.canonical() + " is a device type the fuzzer has no requests for"));
    }

    public TargetVariant variant() {
        return variant;
    }

    public DeviceFuzz deviceFuzz() {
        return fuzz;
    }

    /**
     * The differential oracle's other side: the findings of the in-process reference device of the same type and
     * ring layout on {@code fuzzCase}, or empty when this target is a reference device itself. A finding on the
     * target that the reference device shares says more about the fuzzer's oracles than about the target.
     */
    public Optional<List<FuzzFinding>> onReference(FuzzCase fuzzCase) {
        if (variant.kind().equals("inproc") && InprocDevices.byName(variant.device()).orElseThrow().reference()) {
            return Optional.empty();
        }
        // A fresh device each time: what an earlier failing case left queued (frames, console bytes) would blur it.
        return Optional.of(FuzzRegression.replay("inproc:" + fuzz.type().lowerName() + "?transport=mmio&ring="
                + variant.ring(), fuzzCase));
    }

    /** The features the target variant requires that the device does not offer (a packed ring, say). */
    public FeatureSet missingFeatures() {
        open();
        session.driver().reset();
        return variant.policy().require().minus(session.transport().deviceFeatures());
    }

    private void open() {
        if (session == null) {
            session = Sessions.open(variant);
            oracle = fuzz.attach(session);
        }
    }

    /** Runs {@code fuzzCase}; empty when the device behaved. */
    public List<FuzzFinding> run(FuzzCase fuzzCase) {
        try {
            open();
        } catch (DeviceTimeoutException | DeviceLostException | NativeCallException | VhostUserProtocolException e) {
            close();
            return List.of(new FuzzFinding(-1, "liveness", "no new session after the last one: " + e.getMessage()));
        }
        driver = newDriver();
        Findings out = new Findings();
        int index = 0;
        try {
            List<Batch> batches = fuzzCase.batches();
            for (int b = 0; b < batches.size(); b++) {
                Batch batch = batches.get(b);
                if (!batch.steps().isEmpty()) {
                    runSteps(batch.steps(), fuzzCase, index, out);
                    index += batch.steps().stream().mapToInt(s -> s.requests().size()).sum();
                }
                if (batch.mutation() != null) {
                    mutate(fuzzCase, batch.mutation(), index, out);
                    index++;
                    if (b == batches.size() - 1) {
                        // Liveness after the mutation: a reset device serves a well-formed request.
                        runSteps(List.of(new Step(List.of(batch.mutation().request()))), fuzzCase, index, out);
                        index++;
                    }
                }
            }
        } catch (DeviceTimeoutException | DeviceNeedsResetException | DeviceLostException e) {
            out.add(index, "liveness", e.getMessage());
        } catch (VhostUserProtocolException e) {
            out.add(index, "vhost-user", e.getMessage());
        } catch (NegotiationException | FeatureNotOfferedException e) {
            out.add(-1, "negotiation", e.getMessage());
        }
        if (session != null) {
            for (Finding f : driver.findings()) {
                out.add(-1, "driver", f.toString());
            }
        }
        if (out.list().stream().anyMatch(f -> f.oracle().equals("liveness") || f.oracle().equals("vhost-user"))) {
            close();    // the device stopped answering or its connection is out of step: the next case starts afresh
        }
        FuzzStats.record(out);
        if (!out.isEmpty() && oracle != null) {
            oracle.relearn();
        }
        return out.list();
    }

    /** One initialisation of the device and the steps on it, then what only the batch's end shows. */
    private void runSteps(List<Step> steps, FuzzCase fuzzCase, int first, Findings out) {
        start(driver, fuzzCase);
        int index = first;
        for (Step step : steps) {
            run(driver, step, index, out);
            index += step.requests().size();
        }
        collectPosted(index, out);
        oracle.endBatch(out);
    }

    /**
     * Runs a batch's mutation ({@link MutatedRequest}); the device may have done anything with it, so the oracle
     * relearns the device. A vhost-user back-end may refuse it by closing the connection: the case goes on on a
     * new one.
     */
    private void mutate(FuzzCase fuzzCase, Mutation m, int index, Findings out) {
        posted.clear();
        held = null;
        MutatedRequest.Result r = MutatedRequest.run(driver, fuzz, oracle, fuzzCase.features(), m, index, out);
        if (r.lost() != null) {
            for (Finding f : driver.findings()) {
                out.add(-1, "driver", f.toString());
            }
            close();
            open();
            driver = newDriver();
        }
        oracle.relearn();
    }

    private VirtioDriver newDriver() {
        return new VirtioDriver(session.transport(), session.allocator(), variant.timeout(), variant.policy());
    }

    /**
     * The step's queues asked for used buffer notifications (flags 0, or used_event at the next used index), so the
     * device MUST have sent one for its first completion (§2.7.7.2, §2.8.10); a vhost-user call may trail the used
     * index, hence the wait.
     */
    private void checkNotified(int first, Findings out) {
        Deadline d = Deadline.after(variant.timeout());
        for (int attempt = 0; (session.transport().takeInterrupts() & USED_BUFFER) == 0; attempt++) {
            if (d.expired()) {
                out.add(first, "notification", "buffers were used with notifications asked for, and no used buffer "
                        + "notification came within " + variant.timeout().toMillis() + " ms (§2.7.7.2, §2.8.10 MUST)");
                return;
            }
            Deadline.pause(attempt);
        }
    }

    private void start(VirtioDriver driver, FuzzCase fuzzCase) {
        // The reset of the negotiation drops whatever the previous batch left posted, and frees all memory.
        posted.clear();
        held = null;
        driver.negotiate(fuzz.features().or(fuzzCase.features()));
        for (int q = 0; q < fuzz.queues(); q++) {
            driver.setupQueue(q, QUEUE_SIZE);
        }
        oracle.startBatch(driver);
        driver.driverOk();
    }

    /**
     * Makes the step's requests available together, notifies each queue once, and judges every completion; those
     * not awaited are judged if they complete meanwhile or by the end of the batch.
     */
    private void run(VirtioDriver driver, Step step, int first, Findings out) {
        Allocator alloc = session.allocator();
        Allocator.Mark mark = held != null ? held : alloc.mark();
        Map<Virtqueue, Map<Chain, Prepared>> pending = new LinkedHashMap<>();
        Set<Virtqueue> used = new LinkedHashSet<>();
        driver.transport().takeInterrupts();    // from here on, a used buffer notification is this step's
        for (int i = 0; i < step.requests().size(); i++) {
            Prepared p = oracle.prepare(first + i, step.requests().get(i), alloc);
            Virtqueue q = driver.queue(p.queue());
            if (!used.contains(q)) {
                q.enableUsedNotifications();
            }
            boolean indirect = p.indirect() && q.features().indirect() && p.descriptors() <= q.maxIndirect();
            if (q.freeDescriptors() < (indirect ? 1 : p.descriptors())) {
                if (!p.awaited()) {
                    continue;   // the ring is full of buffers posted earlier; this one would add nothing
                }
                throw new IllegalArgumentException("step " + step + " needs more descriptors than queue "
                        + q.index() + " of size " + q.size() + " has");
            }
            Chain chain = q.add(p.readable(), p.writable(), indirect);
            p.offer().run();
            (p.awaited() ? pending : posted).computeIfAbsent(q, k -> new HashMap<>()).put(chain, p);
            used.add(q);
        }
        used.forEach(driver::kick);
        for (Map.Entry<Virtqueue, Map<Chain, Prepared>> e : pending.entrySet()) {
            Map<Chain, Prepared> inFlight = e.getValue();
            while (!inFlight.isEmpty()) {
                Completion c = driver.await(e.getKey());
                if (!judge(e.getKey(), c, inFlight, first, out)) {
                    return;
                }
            }
        }
        if (!pending.isEmpty()) {
            checkNotified(first, out);
        }
        for (Finding f : alloc.integrityFindings()) {
            out.add(first, "driver", f.toString());
        }
        posted.values().removeIf(Map::isEmpty);
        if (posted.isEmpty()) {
            alloc.rewind(mark);
            held = null;
        } else {
            held = mark;    // posted buffers live in this memory until they complete or the device is reset
        }
    }

    /** Judges {@code c}, awaited or posted; false (with a finding) when no such chain is in flight. */
    private boolean judge(Virtqueue q, Completion c, Map<Chain, Prepared> inFlight, int first, Findings out) {
        Prepared p = inFlight.remove(c.chain());
        Map<Chain, Prepared> postedHere = posted.get(q);
        if (p == null && postedHere != null) {
            p = postedHere.remove(c.chain());
        }
        if (p == null) {
            out.add(first, "used-id", "queue " + q.index() + " returned " + c.chain() + ", which is not in flight");
            return false;
        }
        p.judge().judge(c, out);
        return true;
    }

    /** Judges the posted requests that completed by the end of the batch; the others are dropped by its reset. */
    private void collectPosted(int next, Findings out) {
        for (Map.Entry<Virtqueue, Map<Chain, Prepared>> e : posted.entrySet()) {
            for (Optional<Completion> c = e.getKey().poll(); c.isPresent(); c = e.getKey().poll()) {
                if (!judge(e.getKey(), c.get(), new HashMap<>(), next, out)) {
                    break;
                }
            }
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
            oracle = null;
            posted.clear();
            held = null;
        }
    }
}
