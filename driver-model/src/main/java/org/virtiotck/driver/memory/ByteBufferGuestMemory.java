package org.virtiotck.driver.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Guest memory over one {@link ByteBuffer}: a direct buffer for in-process devices, a mapped file or memfd
 * for devices in another process. Guest-physical address {@code base} is buffer offset 0.
 */
public final class ByteBufferGuestMemory implements GuestMemory {
    private static final int FILL_CHUNK = 64 << 10;
    /** Filled chunks by byte value; never written after they are filled, so sharing them is safe. */
    private static final AtomicReferenceArray<byte[]> TEMPLATES = new AtomicReferenceArray<>(256);
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer buf;
    private final long base;
    private final long size;

    public ByteBufferGuestMemory(ByteBuffer buffer, long base) {
        this.buf = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.base = base;
        this.size = buf.capacity();
    }

    /** Fresh zeroed memory outside the Java heap, so that ring indices can be accessed atomically. */
    public static ByteBufferGuestMemory allocate(long base, int size) {
        return new ByteBufferGuestMemory(ByteBuffer.allocateDirect(size), base);
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return size;
    }

    private int at(long gpa, long length) {
        if (!contains(gpa, length)) {
            throw new GuestMemoryException(gpa, length, base, size);
        }
        return (int) (gpa - base);
    }

    @Override
    public int u8(long gpa) {
        return buf.get(at(gpa, 1)) & 0xff;
    }

    @Override
    public int u16(long gpa) {
        return buf.getShort(at(gpa, 2)) & 0xffff;
    }

    @Override
    public long u32(long gpa) {
        return buf.getInt(at(gpa, 4)) & 0xffffffffL;
    }

    @Override
    public long u64(long gpa) {
        return buf.getLong(at(gpa, 8));
    }

    @Override
    public void putU8(long gpa, int value) {
        buf.put(at(gpa, 1), (byte) value);
    }

    @Override
    public void putU16(long gpa, int value) {
        buf.putShort(at(gpa, 2), (short) value);
    }

    @Override
    public void putU32(long gpa, long value) {
        buf.putInt(at(gpa, 4), (int) value);
    }

    @Override
    public void putU64(long gpa, long value) {
        buf.putLong(at(gpa, 8), value);
    }

    @Override
    public int u16Acquire(long gpa) {
        return ((short) U16.getAcquire(buf, at(gpa, 2))) & 0xffff;
    }

    @Override
    public void putU16Release(long gpa, int value) {
        U16.setRelease(buf, at(gpa, 2), (short) value);
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) {
        buf.get(at(gpa, length), dst, offset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) {
        buf.put(at(gpa, length), src, offset, length);
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        int from = at(gpa, length);
        // In chunks of a filled template: every session fills its whole arena with canaries, byte by byte that was
        // most of its cost; and the allocator fills every buffer, so the template is made once per value.
        byte[] chunk = template(value);
        for (long done = 0; done < length; done += chunk.length) {
            buf.put(from + (int) done, chunk, 0, (int) Math.min(chunk.length, length - done));
        }
    }

    private static byte[] template(byte value) {
        byte[] t = TEMPLATES.get(value & 0xff);
        if (t == null) {
            t = new byte[FILL_CHUNK];
            Arrays.fill(t, value);
            TEMPLATES.set(value & 0xff, t);
        }
        return t;
    }
}
