package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.blk.BlkRequest;

/**
 * One blk request of a fuzz case: its type, where it reads or writes, and how its data bytes are cut into
 * descriptors ({@link Cuts}). The header and the status byte always have descriptors of their own.
 * {@code indirect} asks for an indirect table, used only where the ring negotiated them.
 */
public record BlkFuzzRequest(BlkRequestType type, long sector, int sectors, List<Integer> cuts, boolean indirect)
        implements FuzzRequest {

    public BlkFuzzRequest {
        cuts = Cuts.check(cuts, dataBytes(type, sectors));
    }

    /** Bytes between header and status: the sectors moved, the id string, or none for a flush. */
    public int dataBytes() {
        return dataBytes(type, sectors);
    }

    /** Descriptors of the chain: header, one per data piece, status. */
    @Override
    public int descriptors() {
        return 1 + Cuts.pieces(cuts, dataBytes()) + 1;
    }

    /** Whether both move data and share a sector. */
    boolean overlaps(BlkFuzzRequest other) {
        boolean moves = (type == BlkRequestType.IN || type == BlkRequestType.OUT)
                && (other.type == BlkRequestType.IN || other.type == BlkRequestType.OUT);
        return moves && sector < other.sector + other.sectors && other.sector < sector + sectors;
    }

    @Override
    public String shape() {
        // The type stays out: the same fault shrinks to a read in one round and a GET_ID in the next.
        return "blk, " + descriptors() + " descriptors";
    }

    static int dataBytes(BlkRequestType type, int sectors) {
        return switch (type) {
            case IN, OUT -> sectors * BlkRequest.SECTOR_SIZE;
            case GET_ID -> BlkRequest.ID_BYTES;
            case FLUSH -> 0;
        };
    }
}
