package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.blk.BlkRequest;

/**
 * One request of a blk plan: its type, where it reads or writes, and how its data bytes are cut into descriptors.
 * {@code cuts} are offsets inside the data where a new descriptor starts (sorted, distinct, inside the data).
 * The header and the status byte always have descriptors of their own. {@code indirect} asks for an indirect
 * table, which the runner uses only where the ring negotiated them.
 */
public record BlkPlanRequest(BlkRequestType type, long sector, int sectors, List<Integer> cuts, boolean indirect) {

    public BlkPlanRequest {
        cuts = List.copyOf(cuts);
        int bytes = dataBytes(type, sectors);
        int previous = 0;
        for (int cut : cuts) {
            if (cut <= previous || cut >= bytes) {
                throw new IllegalArgumentException("cuts " + cuts + " must rise strictly inside " + bytes + " bytes");
            }
            previous = cut;
        }
    }

    /** Bytes between header and status: the sectors moved, the id string, or none for a flush. */
    public int dataBytes() {
        return dataBytes(type, sectors);
    }

    /** Descriptors of the chain: header, one per data piece, status. */
    public int descriptors() {
        return 1 + (dataBytes() == 0 ? 0 : cuts.size() + 1) + 1;
    }

    private static int dataBytes(BlkRequestType type, int sectors) {
        return switch (type) {
            case IN, OUT -> sectors * BlkRequest.SECTOR_SIZE;
            case GET_ID -> BlkRequest.ID_BYTES;
            case FLUSH -> 0;
        };
    }
}
