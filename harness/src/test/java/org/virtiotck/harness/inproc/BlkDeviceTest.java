package org.virtiotck.harness.inproc;

import org.virtiotck.driver.ring.RingFeatures;
import org.virtiotck.driver.blk.BlkRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;
import org.virtiotck.driver.transport.DeviceStatus;
import org.virtiotck.driver.transport.mmio.MmioRegister;

class BlkDeviceTest {
    private static final long CAPACITY = 64;
    private static final byte UNTOUCHED = (byte) 0xa5;

    /** What the driver sees after one request: status byte, used length, the IN data area. */
    private record Result(int status, long usedLen, byte[] data) {
    }

    private final BlkDevice blk = new BlkDevice(CAPACITY, "tck-serial", false);
    private final TestDriver driver = new TestDriver(blk).start();
    private int completions;

    private long header(int type, long sector) {
        long at = driver.alloc(16);
        driver.mem.write(at, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, type).putLong(8, sector).array());
        return at;
    }

    /** header | OUT data (if any) | IN data of inLen bytes (if any) | status, one descriptor each. */
    private Result request(int type, long sector, byte[] out, int inLen) {
        long hdr = header(type, sector);
        long in = driver.alloc(inLen);
        long status = driver.alloc(1);
        driver.mem.fill(in, inLen, UNTOUCHED);
        driver.mem.putU8(status, 0xff);
        Buf[] bufs = {Buf.readable(hdr, 16), null, null, Buf.writable(status, 1)};
        if (out != null) {
            long o = driver.alloc(out.length);
            driver.mem.write(o, out);
            bufs[1] = Buf.readable(o, out.length);
        }
        if (inLen > 0) {
            bufs[2] = Buf.writable(in, inLen);
        }
        return submit(Arrays.stream(bufs).filter(b -> b != null).toArray(Buf[]::new), status, in, inLen);
    }

    private Result submit(Buf[] bufs, long statusAddr, long in, int inLen) {
        int head = driver.ring.submit(bufs);
        driver.notifyQueue();
        assertEquals(completions + 1, driver.ring.usedIdx(), "one completion");
        assertEquals(head, driver.ring.usedId(completions));
        long len = driver.ring.usedLen(completions++);
        return new Result(driver.mem.u8(statusAddr), len, driver.mem.read(in, inLen));
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @Test
    void readOfSectorZeroReturnsImageData() {
        byte[] sector0 = pattern(512, 3);
        System.arraycopy(sector0, 0, blk.image(), 0, 512);

        Result r = request(BlkRequest.T_IN, 0, null, 512);

        assertEquals(BlkRequest.S_OK, r.status());
        assertEquals(513, r.usedLen());
        assertArrayEquals(sector0, r.data());
        assertEquals(MmioRegister.INT_USED_BUFFER, driver.interruptStatus());
    }

    @Test
    void writeThenReadRoundTripsAcrossSplitDescriptors() {
        byte[] data = pattern(1024, 11);
        Result w = request(BlkRequest.T_OUT, 5, data, 0);
        assertEquals(BlkRequest.S_OK, w.status());
        assertEquals(1, w.usedLen());
        assertArrayEquals(data, Arrays.copyOfRange(blk.image(), 5 * 512, 7 * 512));

        // Read it back with the header split in two and the data split unevenly, status sharing a descriptor.
        long hdr = header(BlkRequest.T_IN, 5);
        long in = driver.alloc(1025);
        Buf[] bufs = {Buf.readable(hdr, 10), Buf.readable(hdr + 10, 6), Buf.writable(in, 100), Buf.writable(in + 100, 925)};
        Result r = submit(bufs, in + 1024, in, 1024);
        assertEquals(BlkRequest.S_OK, r.status());
        assertEquals(1025, r.usedLen());
        assertArrayEquals(data, r.data());
    }

    @Test
    void flushCompletesWithStatusOnly() {
        Result r = request(BlkRequest.T_FLUSH, 0, null, 0);
        assertEquals(BlkRequest.S_OK, r.status());
        assertEquals(1, r.usedLen());
    }

    @Test
    void getIdIsNulPadded() {
        Result r = request(BlkRequest.T_GET_ID, 0, null, 20);
        assertEquals(BlkRequest.S_OK, r.status());
        assertEquals(21, r.usedLen());
        assertArrayEquals(Arrays.copyOf("tck-serial".getBytes(StandardCharsets.US_ASCII), 20), r.data());
    }

    @Test
    void getIdOfTwentyCharactersHasNoTerminatorAndFitsShortBuffers() {
        TestDriver d = new TestDriver(new BlkDevice(8, "abcdefghijklmnopqrst", false)).start();
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_GET_ID);
        long in = d.alloc(9);
        d.mem.fill(in, 9, UNTOUCHED);
        d.ring.submit(Buf.readable(hdr, 16), Buf.writable(in, 9));
        d.notifyQueue();
        assertEquals(9, d.ring.usedLen(0));
        assertArrayEquals("abcdefgh".getBytes(StandardCharsets.US_ASCII), d.mem.read(in, 8));
        assertEquals(BlkRequest.S_OK, d.mem.u8(in + 8));
    }

    @Test
    void readPastCapacityFails() {
        Result r = request(BlkRequest.T_IN, CAPACITY, null, 512);
        assertEquals(BlkRequest.S_IOERR, r.status());
        assertEquals(0, r.usedLen(), "the data before the status was not written, so len may not cover it");
        assertTrue(allUntouched(r.data()), "no data written on error");
    }

    @Test
    void readStraddlingTheEndFails() {
        assertEquals(BlkRequest.S_IOERR, request(BlkRequest.T_IN, CAPACITY - 1, null, 1024).status());
        assertEquals(BlkRequest.S_OK, request(BlkRequest.T_IN, CAPACITY - 2, null, 1024).status());
    }

    @Test
    void sectorThatOverflowsFails() {
        assertEquals(BlkRequest.S_IOERR, request(BlkRequest.T_IN, -1L, null, 512).status());
        assertEquals(BlkRequest.S_IOERR, request(BlkRequest.T_OUT, Long.MIN_VALUE, new byte[512], 0).status());
    }

    @Test
    void lengthNotAMultipleOf512Fails() {
        Result in = request(BlkRequest.T_IN, 0, null, 500);
        assertEquals(BlkRequest.S_IOERR, in.status());
        assertEquals(0, in.usedLen());
        byte[] before = blk.image().clone();
        assertEquals(BlkRequest.S_IOERR, request(BlkRequest.T_OUT, 0, pattern(513, 1), 0).status());
        assertArrayEquals(before, blk.image());
    }

    @Test
    void unknownTypeIsUnsupported() {
        Result r = request(99, 0, null, 512);
        assertEquals(BlkRequest.S_UNSUPP, r.status());
        assertEquals(1, r.usedLen());
    }

    @Test
    void readOnlyDeviceOffersRoAndRefusesWrites() {
        BlkDevice ro = new BlkDevice(8, "ro", true);
        assertTrue(ro.offeredFeatures().has(Feature.BLK_RO));
        assertFalse(blk.offeredFeatures().has(Feature.BLK_RO));
        Arrays.fill(ro.image(), (byte) 0x3c);
        TestDriver d = new TestDriver(ro).start();
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_OUT);
        long data = d.alloc(512);
        d.mem.write(data, pattern(512, 9));
        long status = d.alloc(1);
        d.ring.submit(Buf.readable(hdr, 16), Buf.readable(data, 512), Buf.writable(status, 1));
        d.notifyQueue();

        assertEquals(BlkRequest.S_IOERR, d.mem.u8(status));
        assertEquals(1, d.ring.usedLen(0));
        byte[] expected = new byte[8 * 512];
        Arrays.fill(expected, (byte) 0x3c);
        assertArrayEquals(expected, ro.image());
    }

    @Test
    void offersVersion1RingFeaturesAndTheBlkFeaturesItServes() {
        assertEquals(FeatureSet.of(Feature.VERSION_1, Feature.RING_PACKED, Feature.INDIRECT_DESC, Feature.EVENT_IDX,
                Feature.IN_ORDER, Feature.BLK_SIZE_MAX, Feature.BLK_SEG_MAX, Feature.BLK_BLK_SIZE, Feature.BLK_FLUSH,
                Feature.BLK_CONFIG_WCE, Feature.BLK_DISCARD, Feature.BLK_WRITE_ZEROES, Feature.BLK_SECURE_ERASE),
                blk.offeredFeatures());
        assertFalse(blk.inOrderBatching(), "batching is opt-in");
    }

    @Test
    void configHoldsCapacityAndBlockSize() {
        assertEquals(CAPACITY, driver.reg(MmioRegister.CONFIG));
        assertEquals(0, driver.reg(MmioRegister.CONFIG + 4));
        assertEquals(512, driver.reg(MmioRegister.CONFIG + 20));
        assertEquals(72, blk.config().length, "struct virtio_blk_config through the secure erase fields");
    }

    @Test
    void requestWithoutStatusByteNeedsReset() {
        long hdr = header(BlkRequest.T_FLUSH, 0);
        driver.ring.submit(Buf.readable(hdr, 16));
        driver.notifyQueue();
        assertNeedsReset();
    }

    @Test
    void requestWithShortHeaderNeedsReset() {
        long hdr = header(BlkRequest.T_IN, 0);
        long status = driver.alloc(1);
        driver.ring.submit(Buf.readable(hdr, 12), Buf.writable(status, 1));
        driver.notifyQueue();
        assertNeedsReset();
        assertEquals(0, driver.ring.usedIdx());
    }

    @Test
    void hooksLetATestPlantADeviation() {
        BlkDevice lying = new BlkDevice(8, "x", false) {
            @Override
            protected long usedLength(long bytesWritten) {
                return bytesWritten + 7;
            }
        };
        TestDriver d = new TestDriver(lying).start();
        long hdr = d.alloc(16);
        d.mem.putU32(hdr, BlkRequest.T_FLUSH);
        long status = d.alloc(1);
        d.ring.submit(Buf.readable(hdr, 16), Buf.writable(status, 1));
        d.notifyQueue();
        assertEquals(8, d.ring.usedLen(0));
    }

    private void assertNeedsReset() {
        int status = driver.status();
        assertNotEquals(0, status & DeviceStatus.DEVICE_NEEDS_RESET, DeviceStatus.describe(status));
        assertNotEquals(0, driver.interruptStatus() & MmioRegister.INT_CONFIG_CHANGE);
        assertTrue(driver.mmio.needsResetReason().isPresent());
    }

    private static boolean allUntouched(byte[] data) {
        for (byte b : data) {
            if (b != UNTOUCHED) {
                return false;
            }
        }
        return true;
    }
}
