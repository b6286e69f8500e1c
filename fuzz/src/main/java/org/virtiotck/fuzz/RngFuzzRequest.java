package org.virtiotck.fuzz;

import java.util.List;

/**
 * One entropy request of a fuzz case (VIRTIO 1.2 §5.4.6): a device-writable buffer of {@code bytes} bytes cut into
 * descriptors ({@link Cuts}), through an indirect table where the ring negotiated them and {@code indirect} asks.
 */
public record RngFuzzRequest(int bytes, List<Integer> cuts, boolean indirect) implements FuzzRequest {

    public RngFuzzRequest {
        if (bytes < 1) {
            throw new IllegalArgumentException("an rng request has at least one writable byte, not " + bytes);
        }
        cuts = Cuts.check(cuts, bytes);
    }

    @Override
    public int descriptors() {
        return Cuts.pieces(cuts, bytes);
    }

    @Override
    public String shape() {
        return "rng, " + descriptors() + " descriptors";
    }
}
