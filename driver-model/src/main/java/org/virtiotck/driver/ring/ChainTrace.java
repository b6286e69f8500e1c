package org.virtiotck.driver.ring;

import java.util.List;
import org.virtiotck.driver.memory.Buffer;

/**
 * The text of the ring events a virtqueue records in its {@link org.virtiotck.driver.trace.RequestTrace}: which
 * descriptors a chain went into and where its buffers lie, and what the device returned. Ring terms only.
 */
public final class ChainTrace {
    private ChainTrace() {
    }

    /**
     * "queue 0 add id 3 at avail[5], avail idx now 6: d3 0x40001000+16 R, d4 0x40002000+512 W"; {@code slots} are
     * the ring descriptor (or slot) numbers of the buffers, {@code table} the indirect table's address or -1.
     */
    public static String added(int queue, int id, String where, List<Buffer> buffers, int[] slots, long table) {
        StringBuilder sb = new StringBuilder();
        sb.append("queue ").append(queue).append(" add id ").append(id).append(' ').append(where).append(": ");
        if (table >= 0) {
            sb.append("d").append(slots[0]).append(" INDIRECT table 0x").append(Long.toHexString(table))
                    .append('+').append(16L * buffers.size()).append(" [");
        }
        for (int i = 0; i < buffers.size(); i++) {
            Buffer b = buffers.get(i);
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(table >= 0 ? "e" + i : "d" + slots[i]).append(" 0x").append(Long.toHexString(b.address()))
                    .append('+').append(Integer.toUnsignedString(b.length())).append(b.deviceWritable() ? " W" : " R");
        }
        return table >= 0 ? sb.append(']').toString() : sb.toString();
    }

    /**
     * "queue 0 used id 3 len 513 of 512 writable, " then {@code where} (the used ring position); "inferred" marks a
     * chain an in-order batch returned without an entry of its own.
     */
    public static String used(int queue, Completion c, String where) {
        return "queue " + queue + " used id " + c.chain().head() + (c.inferred() ? " inferred (in-order batch)" : "")
                + " len " + c.usedLen() + " of " + c.chain().writableBytes() + " writable, " + where;
    }
}
