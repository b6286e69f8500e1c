package org.virtiotck.harness.inproc;

import static org.virtiotck.driver.blk.BlkRequest.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.virtiotck.driver.blk.BlkConfig;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.memory.GuestMemory;

/**
 * A RAM-backed virtio block device (VIRTIO 1.2 §5.2) with one request queue. Requests complete
 * synchronously, in the order they were made available, so the device offers VIRTIO_F_IN_ORDER; it also
 * offers indirect descriptors and event indices, which its queues implement.
 *
 * <p>By default every request gets its own used entry, also under IN_ORDER. Built with {@code inOrderBatching}
 * it returns the requests of one notification as in-order batches instead (see {@link InOrderBatch}), when the
 * driver negotiated IN_ORDER.
 *
 * <p>Request framing: the first 16 readable bytes are the header, the last writable byte is the status,
 * and the data is whatever lies between (readable bytes after the header for OUT, writable bytes before
 * the status for IN and GET_ID). A chain too short to hold a header or a status byte cannot be answered
 * at all, so it is treated as a malformed chain and the device asks for a reset, as QEMU does.
 *
 * <p>Besides IN, OUT, FLUSH and GET_ID it serves DISCARD (a no-op: RAM has nothing to deallocate, and §5.2.6.2
 * only permits deallocation), WRITE_ZEROES and SECURE_ERASE (both zero the range, which erases a RAM image), once
 * negotiated, within the limits its configuration announces.
 * It offers SEG_MAX and SIZE_MAX and refuses with IOERR an IN or OUT beyond them, which only a driver that broke
 * them sends. CONFIG_WCE makes {@code writeback} driver-writable; it starts at 0 after every reset, and either
 * value behaves the same, because RAM is stable as soon as a write completes.
 *
 * <p>Subclasses in tests can plant deviations by overriding the protected hooks.
 */
public class BlkDevice implements VirtioDevice {
    public static final int MAX_QUEUE_SIZE = 256;
    /** Data descriptors per IN or OUT: a full queue less the header and status descriptors. */
    public static final int SEG_MAX = MAX_QUEUE_SIZE - 2;
    /** Data bytes per descriptor. */
    public static final int SIZE_MAX = 64 * 1024;
    /** Sectors per segment and segments per request, for DISCARD, WRITE_ZEROES and SECURE_ERASE alike. */
    public static final int MAX_RANGE_SECTORS = 256;
    public static final int MAX_RANGE_SEGMENTS = 8;

    private final long capacitySectors;
    private final String serial;
    private final boolean readOnly;
    private final byte[] image;
    private final byte[] config;
    private final FeatureSet offered;
    private final boolean inOrderBatching;
    private volatile FeatureSet negotiated = FeatureSet.NONE;
    private volatile int writeback;

    /** A device that returns every request with its own used entry. */
    public BlkDevice(long capacitySectors, String serial, boolean readOnly) {
        this(capacitySectors, serial, readOnly, false);
    }

    /**
     * @param capacitySectors size in 512-byte sectors; the image is a Java array, so at most about 2 GiB
     * @param serial          device ID string for GET_ID, at most 20 ASCII bytes
     * @param readOnly        offer VIRTIO_BLK_F_RO and refuse writes
     * @param inOrderBatching when the driver negotiated VIRTIO_F_IN_ORDER, return the requests completed in one
     *                        notification as batches with one used entry each
     */
    public BlkDevice(long capacitySectors, String serial, boolean readOnly, boolean inOrderBatching) {
        if (capacitySectors < 0 || capacitySectors > (Integer.MAX_VALUE - 8) / SECTOR_SIZE) {
            throw new IllegalArgumentException("capacity " + capacitySectors + " sectors does not fit a RAM image");
        }
        if (serial.length() > ID_BYTES || !StandardCharsets.US_ASCII.newEncoder().canEncode(serial)) {
            throw new IllegalArgumentException("serial \"" + serial + "\" is not at most " + ID_BYTES + " ASCII characters");
        }
        this.capacitySectors = capacitySectors;
        this.serial = serial;
        this.readOnly = readOnly;
        this.image = new byte[(int) capacitySectors * SECTOR_SIZE];
        this.config = ByteBuffer.allocate(BlkConfig.SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(BlkConfig.CAPACITY, capacitySectors)
                .putInt(BlkConfig.SIZE_MAX, SIZE_MAX)
                .putInt(BlkConfig.SEG_MAX, SEG_MAX)
                .putInt(BlkConfig.BLK_SIZE, SECTOR_SIZE)
                .putInt(BlkConfig.MAX_DISCARD_SECTORS, MAX_RANGE_SECTORS)
                .putInt(BlkConfig.MAX_DISCARD_SEG, MAX_RANGE_SEGMENTS)
                .putInt(BlkConfig.DISCARD_SECTOR_ALIGNMENT, 1)
                .putInt(BlkConfig.MAX_WRITE_ZEROES_SECTORS, MAX_RANGE_SECTORS)
                .putInt(BlkConfig.MAX_WRITE_ZEROES_SEG, MAX_RANGE_SEGMENTS)
                .putInt(BlkConfig.MAX_SECURE_ERASE_SECTORS, MAX_RANGE_SECTORS)
                .putInt(BlkConfig.MAX_SECURE_ERASE_SEG, MAX_RANGE_SEGMENTS)
                .putInt(BlkConfig.SECURE_ERASE_SECTOR_ALIGNMENT, 1)
                // write_zeroes_may_unmap stays 0: a RAM image has nothing to deallocate (§5.2.6.2).
                .array();
        FeatureSet features = ReferenceFeatures.RING.with(Feature.BLK_FLUSH).with(Feature.BLK_BLK_SIZE)
                .with(Feature.BLK_SEG_MAX).with(Feature.BLK_SIZE_MAX).with(Feature.BLK_CONFIG_WCE)
                .with(Feature.BLK_DISCARD).with(Feature.BLK_WRITE_ZEROES).with(Feature.BLK_SECURE_ERASE);
        this.offered = readOnly ? features.with(Feature.BLK_RO) : features;
        this.inOrderBatching = inOrderBatching;
    }

    /** The live disk contents, for end-to-end checks; writes to it are seen by later reads. */
    public byte[] image() {
        return image;
    }

    public String serial() {
        return serial;
    }

    public long capacitySectors() {
        return capacitySectors;
    }

    /** Whether the device returns in-order batches when IN_ORDER is negotiated. */
    public boolean inOrderBatching() {
        return inOrderBatching;
    }

    @Override
    public DeviceType type() {
        return DeviceType.BLK;
    }

    @Override
    public FeatureSet offeredFeatures() {
        return offered;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int maxQueueSize() {
        return MAX_QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        byte[] c = config.clone();
        c[BlkConfig.WRITEBACK] = (byte) writeback;
        return c;
    }

    /** Only {@code writeback} is driver-writable, and only with CONFIG_WCE negotiated (§5.2.5). */
    @Override
    public void writeConfig(int offset, int width, long value) {
        if (offset == BlkConfig.WRITEBACK && negotiated.has(Feature.BLK_CONFIG_WCE) && (value & 0xff) <= 1) {
            writeback = (int) (value & 0xff);
        }
    }

    @Override
    public void featuresNegotiated(FeatureSet accepted) {
        // RO refuses writes whenever it is offered (§5.2.6.2), and FLUSH is harmless to serve even if the driver
        // did not accept it; DISCARD and WRITE_ZEROES are served only once negotiated.
        negotiated = accepted;
    }

    @Override
    public void reset() {
        // The disk contents survive a reset, and requests complete synchronously, so nothing is in flight.
        // writeback starts at 0, which §5.2.5.2 requires when CONFIG_WCE comes without FLUSH.
        negotiated = FeatureSet.NONE;
        writeback = 0;
    }

    @Override
    public void process(int queueIndex, DeviceQueue queue) {
        GuestMemory mem = queue.memory();
        InOrderBatch done = new InOrderBatch(queue, inOrderBatching);
        try {
            for (Optional<DescriptorChain> next = queue.pop(); next.isPresent(); next = queue.pop()) {
                DescriptorChain chain = next.get();
                done.complete(chain, usedLength(handle(chain, mem)));
            }
        } finally {
            // Requests completed before a malformed one are still returned, batched or not.
            done.flush();
        }
    }

    /** Used length to report for a request that wrote {@code bytesWritten} bytes into its chain. */
    protected long usedLength(long bytesWritten) {
        return bytesWritten;
    }

    /** Writes the status byte into the last writable byte of the chain. */
    protected void putStatus(DescriptorChain chain, GuestMemory mem, int status) {
        place(chain.writer(mem).writeAt(chain.writableLength() - 1, new byte[] {(byte) status}), chain);
    }

    /** True when sectors [sector, sector + bytes / 512) lie inside the capacity; sector is unsigned. */
    protected boolean inCapacity(long sector, long bytes) {
        long sectors = bytes / SECTOR_SIZE;
        return Long.compareUnsigned(sector, capacitySectors) <= 0 && sectors <= capacitySectors - sector;
    }

    /** Writes the data of an IN request at the start of the writable bytes. */
    protected void writeReadData(DescriptorChain chain, GuestMemory mem, byte[] data) {
        place(chain.writer(mem).write(data), chain);
    }

    /** What a read-only device does with an OUT of {@code data} at {@code sector}: store nothing, IOERR (§5.2.6.2). */
    protected int refuseWrite(long sector, byte[] data) {
        return S_IOERR;
    }

    /** Whether a DISCARD or WRITE_ZEROES segment's flags are known and allowed for its type (§5.2.6.2). */
    protected boolean flagsSupported(int type, int flags) {
        return flags == 0 || (type == T_WRITE_ZEROES && flags == FLAG_UNMAP);
    }

    /** Most segments a DISCARD, WRITE_ZEROES or SECURE_ERASE may hold to be served: what the configuration announces. */
    protected int rangeSegmentLimit() {
        return MAX_RANGE_SEGMENTS;
    }

    /** Most sectors a segment of those commands may cover to be served: what the configuration announces. */
    protected long rangeSectorLimit() {
        return MAX_RANGE_SECTORS;
    }

    /**
     * Zeroes {@code sectors} sectors from {@code sector}, at most the announced sectors per segment, which the caller
     * checked lie inside the capacity (see {@link #storeImageBytes} for a range that does not).
     */
    protected void zeroSectors(long sector, long sectors) {
        storeImageBytes(sector, new byte[Math.toIntExact(sectors * SECTOR_SIZE)]);
    }

    /** A request type this device does not serve: UNSUPP. Returns the bytes written into the chain. */
    protected long unsupported(DescriptorChain chain, GuestMemory mem, int type) {
        return complete(chain, mem, S_UNSUPP);
    }

    /** Carries out one request and returns the number of bytes it wrote into the chain. */
    private long handle(DescriptorChain chain, GuestMemory mem) {
        if (chain.writableLength() < 1) {
            throw MalformedChainException.of("blk request at head %d has no writable byte for the status "
                    + "(%d readable, 0 writable)", chain.head(), chain.readableLength());
        }
        ChainReader reader = chain.reader(mem);
        byte[] header = new byte[HEADER_SIZE];
        if (!reader.read(header)) {
            throw MalformedChainException.of("blk request at head %d has %d readable bytes, the header needs %d",
                    chain.head(), chain.readableLength(), HEADER_SIZE);
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt(0);
        long sector = h.getLong(8);
        long writableData = chain.writableLength() - 1;
        return switch (type) {
            case T_IN -> read(chain, mem, sector, writableData);
            case T_OUT -> write(chain, mem, reader, sector);
            case T_FLUSH -> complete(chain, mem, S_OK); // RAM is always stable: nothing to flush.
            case T_GET_ID -> getId(chain, mem, writableData);
            case T_DISCARD -> range(chain, mem, reader, type, Feature.BLK_DISCARD);
            case T_WRITE_ZEROES -> range(chain, mem, reader, type, Feature.BLK_WRITE_ZEROES);
            case T_SECURE_ERASE -> range(chain, mem, reader, type, Feature.BLK_SECURE_ERASE);
            default -> unsupported(chain, mem, type);
        };
    }

    private long read(DescriptorChain chain, GuestMemory mem, long sector, long bytes) {
        if (bytes % SECTOR_SIZE != 0 || !inCapacity(sector, bytes) || !withinSegmentLimits(chain)) {
            putStatus(chain, mem, S_IOERR);
            return contiguousFromStart(0, bytes);
        }
        writeReadData(chain, mem, imageBytes(sector, Math.toIntExact(bytes)));
        putStatus(chain, mem, S_OK);
        return bytes + 1;
    }

    private long write(DescriptorChain chain, GuestMemory mem, ChainReader reader, long sector) {
        long bytes = reader.remaining();
        if (bytes % SECTOR_SIZE != 0 || !inCapacity(sector, bytes) || !withinSegmentLimits(chain)) {
            return complete(chain, mem, S_IOERR);
        }
        byte[] data = new byte[Math.toIntExact(bytes)];
        reader.read(data);
        if (readOnly) {
            // §5.2.6.2: a read-only device fails every write and must not change any data.
            return complete(chain, mem, refuseWrite(sector, data));
        }
        storeImageBytes(sector, data);
        return complete(chain, mem, S_OK);
    }

    /** SEG_MAX and SIZE_MAX are limits on the driver (§5.2.3); a request beyond them is its error, IOERR. */
    protected boolean withinSegmentLimits(DescriptorChain chain) {
        BlkDataSegments data = BlkDataSegments.of(chain);
        return data.count() <= SEG_MAX && data.longest() <= SIZE_MAX;
    }

    /**
     * DISCARD, WRITE_ZEROES or SECURE_ERASE (§5.2.6); the last two zero their ranges. Flags are judged first: an unknown flag, or unmap on a DISCARD, is
     * UNSUPP whatever else the request holds (§5.2.6.2). Data that is not whole segments, more segments or
     * sectors than the configuration allows, or a range beyond capacity are driver errors: IOERR. So are both
     * commands on a read-only device, since they change data. DISCARD itself changes nothing here.
     */
    private long range(DescriptorChain chain, GuestMemory mem, ChainReader reader, int type, Feature feature) {
        if (!negotiated.has(feature)) {
            return unsupported(chain, mem, type);
        }
        long bytes = reader.remaining();
        if (bytes == 0 || bytes % RANGE_SEGMENT_SIZE != 0 || bytes / RANGE_SEGMENT_SIZE > rangeSegmentLimit()) {
            return complete(chain, mem, S_IOERR);
        }
        byte[] data = new byte[Math.toIntExact(bytes)];
        reader.read(data);
        List<BlkRangeSegment> segments = BlkRangeSegment.parse(data);
        if (!segments.stream().allMatch(s -> flagsSupported(type, s.flags()))) {
            return complete(chain, mem, S_UNSUPP);
        }
        boolean valid = segments.stream().allMatch(s -> s.sectors() <= rangeSectorLimit()
                && inCapacity(s.sector(), s.sectors() * SECTOR_SIZE));
        if (!valid || readOnly) {
            return complete(chain, mem, S_IOERR);
        }
        if (type != T_DISCARD) {
            segments.forEach(s -> zeroSectors(s.sector(), s.sectors()));
        }
        return complete(chain, mem, S_OK);
    }

    private long getId(DescriptorChain chain, GuestMemory mem, long dataBytes) {
        // NUL-padded to 20 bytes, no terminator when the serial fills all 20 (§5.2.6).
        byte[] id = Arrays.copyOf(serial.getBytes(StandardCharsets.US_ASCII), ID_BYTES);
        byte[] fitting = Arrays.copyOf(id, (int) Math.min(ID_BYTES, dataBytes));
        place(chain.writer(mem).write(fitting), chain);
        putStatus(chain, mem, S_OK);
        return contiguousFromStart(fitting.length, dataBytes);
    }

    /**
     * Used len when {@code written} of {@code dataBytes} data bytes were written, then the status after them.
     * The device must have written every byte len covers from the start of the writable part (§2.7.8.2), so
     * the status byte counts only when no unwritten data lies before it.
     */
    private static long contiguousFromStart(long written, long dataBytes) {
        return written == dataBytes ? written + 1 : written;
    }

    /** Writes only the status byte; returns the one byte written. */
    private long complete(DescriptorChain chain, GuestMemory mem, int status) {
        putStatus(chain, mem, status);
        return 1;
    }

    /**
     * Image bytes starting at {@code sector}; anything past the end reads as zeros. Only an overridden
     * {@link #inCapacity} lets such a range through, and then the device should misbehave, not crash.
     */
    private byte[] imageBytes(long sector, int length) {
        byte[] data = new byte[length];
        long from = byteOffset(sector);
        if (from < image.length) {
            System.arraycopy(image, (int) from, data, 0, (int) Math.min(length, image.length - from));
        }
        return data;
    }

    /** Stores {@code data} at {@code sector}, dropping whatever lies past the end (see {@link #imageBytes}). */
    private void storeImageBytes(long sector, byte[] data) {
        long from = byteOffset(sector);
        if (from < image.length) {
            System.arraycopy(data, 0, image, (int) from, (int) Math.min(data.length, image.length - from));
        }
    }

    /** Byte offset of an unsigned sector number, saturating where it would overflow. */
    private static long byteOffset(long sector) {
        return Long.compareUnsigned(sector, Long.MAX_VALUE / SECTOR_SIZE) > 0 ? Long.MAX_VALUE : sector * SECTOR_SIZE;
    }

    /** The device computed the range from the chain itself, so a write that does not fit is a bug here. */
    private static void place(boolean fitted, DescriptorChain chain) {
        if (!fitted) {
            throw new IllegalStateException("blk device wrote outside the writable part of " + chain);
        }
    }
}
