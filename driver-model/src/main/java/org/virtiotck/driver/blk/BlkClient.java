package org.virtiotck.driver.blk;

import static org.virtiotck.driver.blk.BlkRequest.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.driver.VirtioDriver;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.ring.Completion;
import org.virtiotck.driver.ring.Virtqueue;
import org.virtiotck.driver.transport.ConfigSpace;

/**
 * Submits virtio-blk requests on request queue 0 of a started driver. Each request is laid out as separate
 * descriptors: header (readable), data (readable for OUT, writable for IN), status byte (writable).
 */
public final class BlkClient {
    /** Offset of {@code capacity} (le64, in 512-byte sectors) in the blk configuration space. */
    public static final int CONFIG_CAPACITY = 0;

    private final VirtioDriver driver;
    private final Virtqueue queue;

    public BlkClient(VirtioDriver driver) {
        this.driver = driver;
        this.queue = driver.queue(0);
    }

    public long capacitySectors() {
        return ConfigSpace.read64(driver.transport(), CONFIG_CAPACITY, driver.deadline());
    }

    public BlkResult read(long sector, int bytes) {
        return submit(T_IN, sector, null, bytes);
    }

    public BlkResult write(long sector, byte[] data) {
        return submit(T_OUT, sector, data, 0);
    }

    public BlkResult flush() {
        return submit(T_FLUSH, 0, null, 0);
    }

    public BlkResult getId() {
        return submit(T_GET_ID, 0, null, ID_BYTES);
    }

    /**
     * An IN whose data is cut into {@code segments} descriptors of {@code segmentBytes} each, laid out directly in
     * the ring (an indirect table holds fewer entries than a queue), for the SEG_MAX and SIZE_MAX limits.
     */
    public BlkResult readInSegments(long sector, int segments, int segmentBytes) {
        Allocator alloc = driver.allocator();
        List<Buffer> writable = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            writable.add(alloc.writable(segmentBytes));
        }
        Buffer status = alloc.writable(1);
        writable.add(status);
        queue.add(List.of(alloc.readable(header(T_IN, sector))), writable, false);
        driver.kick(queue);
        Completion c = driver.await(queue);
        byte[] data = new byte[segments * segmentBytes];
        for (int i = 0; i < segments; i++) {
            Buffer b = writable.get(i);
            System.arraycopy(alloc.memory().read(b.address(), b.length()), 0, data, i * segmentBytes, segmentBytes);
        }
        return new BlkResult(alloc.memory().u8(status.address()), data, c);
    }

    /** Any request: {@code out} bytes the device reads after the header, {@code inBytes} it may write before the status. */
    public BlkResult submit(int type, long sector, byte[] out, int inBytes) {
        Allocator alloc = driver.allocator();
        List<Buffer> readable = new ArrayList<>();
        readable.add(alloc.readable(header(type, sector)));
        if (out != null && out.length > 0) {
            readable.add(alloc.readable(out));
        }
        List<Buffer> writable = new ArrayList<>();
        Buffer in = inBytes > 0 ? alloc.writable(inBytes) : null;
        if (in != null) {
            writable.add(in);
        }
        Buffer status = alloc.writable(1);
        writable.add(status);
        Completion c = driver.submit(queue, readable, writable);
        byte[] data = in == null ? new byte[0] : alloc.memory().read(in.address(), in.length());
        return new BlkResult(alloc.memory().u8(status.address()), data, c);
    }
}
