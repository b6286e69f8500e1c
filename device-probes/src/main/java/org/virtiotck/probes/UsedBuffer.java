package org.virtiotck.probes;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.virtiotck.driver.memory.Allocator;
import org.virtiotck.driver.memory.Buffer;
import org.virtiotck.driver.memory.GuestMemory;
import org.virtiotck.driver.ring.Completion;

/**
 * One buffer the device returned: its completion and every device-writable byte as the device left it. Input
 * from {@link Devices#pattern} never holds the allocator's poison byte, so poison marks the bytes not written.
 */
public record UsedBuffer(Completion completion, byte[] writable) {

    /** Reads the writable bytes of {@code c}'s chain from guest memory, in chain order. */
    public static UsedBuffer of(Completion c, GuestMemory memory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Buffer b : c.chain().writable()) {
            out.writeBytes(memory.read(b.address(), b.length()));
        }
        return new UsedBuffer(c, out.toByteArray());
    }

    public long usedLen() {
        return completion.usedLen();
    }

    /** The bytes the used len claims, capped at the buffer. */
    public byte[] data() {
        return Arrays.copyOf(writable, (int) Math.min(usedLen(), writable.length));
    }

    /** Bytes written from the start until the first poison byte. */
    public int writtenFromStart() {
        int n = 0;
        while (n < writable.length && writable[n] != Allocator.POISON) {
            n++;
        }
        return n;
    }

    /** Every byte no longer poison, wherever it is. */
    public int written() {
        int n = 0;
        for (byte b : writable) {
            n += b != Allocator.POISON ? 1 : 0;
        }
        return n;
    }
}
