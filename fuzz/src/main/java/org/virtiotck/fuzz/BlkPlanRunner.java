package org.virtiotck.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.virtiotck.driver.DeviceNeedsResetException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Chain;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.harness.target.TargetVariant;

/**
 * Runs a {@link BlkPlan} against a fresh blk device and judges it. The oracles: the driver model's findings
 * (bytes written outside device-writable buffers, bad used ids and lens), status OK for every request (plans stay
 * in range), data read back equal to a model disk that follows every write, the used len of reads and writes, the
 * disk itself equal to the model at the end, and liveness (every request completes before the target's deadline).
 */
public final class BlkPlanRunner {
    /** Largest ring the runner asks for; plans never need more than this many descriptors per request. */
    static final int QUEUE_SIZE = 16;

    private final Session session;
    private final VirtioDriver driver;
    private final Allocator alloc;
    private final GuestMemory memory;
    private final BlkImage image;
    private final byte[] model;
    private final Set<FuzzFinding> findings = new LinkedHashSet<>();
    private Virtqueue queue;

    private BlkPlanRunner(Session session) {
        this.session = session;
        this.driver = session.driver();
        this.alloc = session.allocator();
        this.memory = session.memory();
        this.image = session.blkImage()
                .orElseThrow(() -> new IllegalArgumentException("target " + session.target().canonical()
                        + " gives no access to its disk; the blk fuzzer needs it as the data oracle"));
        this.model = image.read(0, Math.toIntExact(image.sizeBytes()));
    }

    /** Runs {@code plan} against the one device {@code target} names; empty when the device behaved. */
    public static List<FuzzFinding> run(String target, BlkPlan plan) {
        List<TargetVariant> variants = TargetSpec.parse(target).variants();
        if (variants.size() != 1) {
            throw new IllegalArgumentException("target " + target + " names " + variants.size()
                    + " variants; name one transport and one ring");
        }
        try (Session session = Sessions.open(variants.get(0))) {
            return new BlkPlanRunner(session).run(plan);
        }
    }

    private List<FuzzFinding> run(BlkPlan plan) {
        checkInRange(plan);
        driver.negotiate(FeatureSet.NONE.with(Feature.INDIRECT_DESC));
        queue = driver.setupQueue(0, QUEUE_SIZE);
        driver.driverOk();
        boolean live = true;
        for (int i = 0; i < plan.requests().size() && live; i++) {
            live = submit(i, plan.requests().get(i));
        }
        for (Finding f : driver.findings()) {
            findings.add(new FuzzFinding(-1, "driver", f.toString()));
        }
        if (live) {
            compareDisk();
        }
        return List.copyOf(findings);
    }

    private void checkInRange(BlkPlan plan) {
        long capacity = image.sizeBytes() / BlkRequest.SECTOR_SIZE;
        for (BlkPlanRequest r : plan.requests()) {
            if (r.sector() < 0 || r.sector() + r.sectors() > capacity || r.descriptors() > QUEUE_SIZE) {
                throw new IllegalArgumentException("request " + r + " does not fit a disk of " + capacity
                        + " sectors and a ring of " + QUEUE_SIZE);
            }
        }
    }

    /** Submits one request and waits for it; false when the device stopped answering. */
    private boolean submit(int index, BlkPlanRequest r) {
        Allocator.Mark mark = alloc.mark();
        byte[] data = new byte[r.dataBytes()];
        new Random(31L * index + r.sector()).nextBytes(data);
        List<Buffer> readable = new ArrayList<>();
        List<Buffer> writable = new ArrayList<>();
        readable.add(alloc.readable(BlkRequest.header(r.type().code(), r.sector())));
        List<Integer> bounds = bounds(r);
        for (int p = 0; p + 1 < bounds.size(); p++) {
            int from = bounds.get(p);
            int to = bounds.get(p + 1);
            if (r.type() == BlkRequestType.OUT) {
                readable.add(alloc.readable(Arrays.copyOfRange(data, from, to)));
            } else {
                writable.add(alloc.writable(to - from));
            }
        }
        List<Buffer> in = List.copyOf(writable);
        Buffer status = alloc.writable(1);
        writable.add(status);
        boolean indirect = r.indirect() && queue.features().indirect() && r.descriptors() <= queue.maxIndirect();
        Chain chain = queue.add(readable, writable, indirect);
        Completion c;
        try {
            driver.kick(queue);
            c = driver.await(queue);
        } catch (DeviceTimeoutException | DeviceNeedsResetException e) {
            findings.add(new FuzzFinding(index, "liveness", e.getMessage()));
            return false;
        }
        judge(index, r, chain, c, in, status, data);
        for (Finding f : alloc.integrityFindings()) {
            findings.add(new FuzzFinding(index, "driver", f.toString()));
        }
        alloc.rewind(mark);
        return true;
    }

    private static List<Integer> bounds(BlkPlanRequest r) {
        List<Integer> bounds = new ArrayList<>();
        if (r.dataBytes() > 0) {
            bounds.add(0);
            bounds.addAll(r.cuts());
            bounds.add(r.dataBytes());
        }
        return bounds;
    }

    private void judge(int index, BlkPlanRequest r, Chain chain, Completion c, List<Buffer> in, Buffer status,
            byte[] data) {
        if (!c.chain().equals(chain)) {
            findings.add(new FuzzFinding(index, "driver", "completed " + c.chain() + " while " + chain + " was the only one in flight"));
            return;
        }
        int got = memory.u8(status.address());
        if (got != BlkRequest.S_OK) {
            findings.add(new FuzzFinding(index, "status", r + " in range ended " + BlkRequest.statusName(got)));
            return;
        }
        int offset = Math.toIntExact(r.sector() * BlkRequest.SECTOR_SIZE);
        if (r.type() == BlkRequestType.OUT) {
            System.arraycopy(data, 0, model, offset, data.length);
        }
        if (r.type() == BlkRequestType.IN) {
            byte[] read = new byte[r.dataBytes()];
            int at = 0;
            for (Buffer b : in) {
                memory.read(b.address(), read, at, b.length());
                at += b.length();
            }
            int differs = Arrays.mismatch(read, Arrays.copyOfRange(model, offset, offset + read.length));
            if (differs >= 0) {
                findings.add(new FuzzFinding(index, "data", "read of sector " + r.sector() + " differs from the disk at byte " + differs));
            }
        }
        // A read writes its data and the status; a write or flush only the status (§2.7.8.2 for the len).
        boolean sized = r.type() == BlkRequestType.IN || r.type() == BlkRequestType.OUT || r.type() == BlkRequestType.FLUSH;
        long expected = r.type() == BlkRequestType.IN ? r.dataBytes() + 1L : 1L;
        if (sized && !c.inferred() && c.usedLen() != expected) {
            findings.add(new FuzzFinding(index, "used-len", r.type() + " reported used len " + c.usedLen() + ", wrote " + expected));
        }
    }

    private void compareDisk() {
        byte[] disk = image.read(0, model.length);
        int differs = Arrays.mismatch(disk, model);
        if (differs >= 0) {
            findings.add(new FuzzFinding(-1, "disk", "disk differs from the model at byte " + differs));
        }
    }
}
