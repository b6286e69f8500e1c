package org.virtiotck.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.blk.BlkClient;
import org.virtiotck.driver.blk.BlkRequest;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.transport.ConfigSpace;
import org.virtiotck.driver.transport.Transport;
import org.virtiotck.harness.session.BlkImage;
import org.virtiotck.harness.session.Session;

/**
 * Judges blk requests against a model of the disk that follows every write: status OK for every request (they
 * stay in range) but a write to a read-only device (IOERR, §5.2.6.2), and a flush without BLK_FLUSH or a GET_ID
 * (which may also be UNSUPP); data read equal to the model; used len exactly what the device wrote (data and
 * status for a read, the status alone for a write or flush); and at the end of a batch the disk itself equal to
 * the model. Where the target gives no access to the disk (a vhost-user back-end without {@code image=}), the
 * model knows only the sectors written through the device in this session, and reads of those are checked.
 */
final class BlkOracle implements DeviceOracle {
    private static final int BYTES = Math.toIntExact(BlkFuzz.SECTORS * BlkRequest.SECTOR_SIZE);

    private final GuestMemory memory;
    private final Optional<BlkImage> image;
    private final byte[] model = new byte[BYTES];
    private final BitSet known = new BitSet(Math.toIntExact(BlkFuzz.SECTORS));
    private boolean readOnly;
    private boolean flush;

    BlkOracle(Session session) {
        this.memory = session.memory();
        this.image = session.blkImage();
        relearn();
    }

    @Override
    public void relearn() {
        known.clear();
        image.ifPresent(disk -> {
            System.arraycopy(disk.read(0, BYTES), 0, model, 0, BYTES);
            known.set(0, Math.toIntExact(BlkFuzz.SECTORS));
        });
    }

    @Override
    public void startBatch(VirtioDriver driver) {
        readOnly = driver.negotiated().has(Feature.BLK_RO);
        flush = driver.negotiated().has(Feature.BLK_FLUSH);
        Transport t = driver.transport();
        long capacity = ConfigSpace.read64(t, BlkClient.CONFIG_CAPACITY, driver.deadline());
        if (capacity < BlkFuzz.SECTORS) {
            throw new IllegalArgumentException("the disk of this target has " + capacity
                    + " sectors; the blk fuzzer needs at least " + BlkFuzz.SECTORS);
        }
    }

    @Override
    public Prepared prepare(int index, FuzzRequest request, Allocator alloc) {
        BlkFuzzRequest r = (BlkFuzzRequest) request;
        // Only a write sends data; the other types' data bytes are the device's to write.
        byte[] data = new byte[r.type() == BlkRequestType.OUT ? r.dataBytes() : 0];
        new Random(31L * index + r.sector()).nextBytes(data);
        List<Buffer> readable = new ArrayList<>();
        List<Buffer> in = new ArrayList<>();
        readable.add(alloc.readable(BlkRequest.header(r.type().code(), r.sector())));
        List<Integer> bounds = Cuts.bounds(r.cuts(), r.dataBytes());
        for (int p = 0; p + 1 < bounds.size(); p++) {
            int from = bounds.get(p);
            int to = bounds.get(p + 1);
            if (r.type() == BlkRequestType.OUT) {
                readable.add(alloc.readable(Arrays.copyOfRange(data, from, to)));
            } else {
                in.add(alloc.writable(to - from));
            }
        }
        Buffer status = alloc.writable(1);
        List<Buffer> writable = new ArrayList<>(in);
        writable.add(status);
        return new Prepared(0, readable, writable, r.indirect(),
                (c, out) -> judge(index, r, c.usedLen(), c.inferred(), in, status, data, out));
    }

    private void judge(int index, BlkFuzzRequest r, long usedLen, boolean inferred, List<Buffer> in, Buffer status,
            byte[] data, Findings out) {
        int got = memory.u8(status.address());
        boolean mayBeUnsupported = r.type() == BlkRequestType.GET_ID || r.type() == BlkRequestType.FLUSH && !flush;
        int wanted = readOnly && r.type() == BlkRequestType.OUT ? BlkRequest.S_IOERR : BlkRequest.S_OK;
        if (got != wanted && !(mayBeUnsupported && got == BlkRequest.S_UNSUPP)) {
            out.add(index, "status", r + (readOnly ? " on a read-only disk" : "") + " ended "
                    + BlkRequest.statusName(got) + ", expected " + BlkRequest.statusName(wanted));
            return;
        }
        if (got != BlkRequest.S_OK) {
            return;
        }
        int offset = Math.toIntExact(r.sector() * BlkRequest.SECTOR_SIZE);
        if (r.type() == BlkRequestType.OUT) {
            System.arraycopy(data, 0, model, offset, data.length);
            known.set(Math.toIntExact(r.sector()), Math.toIntExact(r.sector() + r.sectors()));
        }
        if (r.type() == BlkRequestType.IN) {
            byte[] read = new byte[r.dataBytes()];
            int at = 0;
            for (Buffer b : in) {
                memory.read(b.address(), read, at, b.length());
                at += b.length();
            }
            // Only sectors the model knows can be wrong: a device reached without its disk file may hold anything else.
            int from = 0;
            while (from < read.length) {
                int d = Arrays.mismatch(read, from, read.length, model, offset + from, offset + read.length);
                if (d < 0) {
                    break;
                }
                int wrong = from + d;
                if (known.get(Math.toIntExact(r.sector()) + wrong / BlkRequest.SECTOR_SIZE)) {
                    out.add(index, "data", "read of sector " + r.sector() + " differs from the disk at byte " + wrong);
                    break;
                }
                from = (wrong / BlkRequest.SECTOR_SIZE + 1) * BlkRequest.SECTOR_SIZE;
            }
        }
        // GET_ID may write fewer bytes than the buffer (a short id string ends in NUL), so its len is not fixed.
        if (r.type() != BlkRequestType.GET_ID && !inferred) {
            long expected = r.type() == BlkRequestType.IN ? r.dataBytes() + 1L : 1L;
            if (usedLen != expected) {
                out.add(index, "used-len", r.type() + " reported used len " + usedLen + ", wrote " + expected);
            }
        }
    }

    @Override
    public void endBatch(Findings out) {
        if (image.isEmpty()) {
            return;
        }
        int differs = image.get().mismatch(0, model);
        if (differs >= 0) {
            out.add(-1, "disk", "disk differs from the model at byte " + differs);
        }
    }
}
