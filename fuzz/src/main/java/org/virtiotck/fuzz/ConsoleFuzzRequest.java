package org.virtiotck.fuzz;

import java.util.List;

/**
 * One request on a console's port 0 (VIRTIO 1.2 §5.3.6): {@code bytes} bytes to transmit, or a receive buffer of
 * {@code bytes} bytes, cut into descriptors ({@link Cuts}), through an indirect table where the ring negotiated
 * them and {@code indirect} asks.
 */
public record ConsoleFuzzRequest(Direction direction, int bytes, List<Integer> cuts, boolean indirect)
        implements FuzzRequest {

    public ConsoleFuzzRequest {
        if (bytes < 1) {
            throw new IllegalArgumentException("a console request moves at least one byte, not " + bytes);
        }
        cuts = Cuts.check(cuts, bytes);
    }

    @Override
    public int descriptors() {
        return Cuts.pieces(cuts, bytes);
    }

    @Override
    public String shape() {
        return "console " + direction + ", " + descriptors() + " descriptors";
    }
}
