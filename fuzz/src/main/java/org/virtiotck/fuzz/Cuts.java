package org.virtiotck.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a request's data bytes are cut into descriptors: offsets inside the data at which a new descriptor starts,
 * strictly rising. Shared by every device type's requests, so shrinking means the same thing for all of them.
 */
final class Cuts {
    private Cuts() {
    }

    /** Throws unless {@code cuts} rise strictly inside {@code bytes} bytes. */
    static List<Integer> check(List<Integer> cuts, int bytes) {
        int previous = 0;
        for (int cut : cuts) {
            if (cut <= previous || cut >= bytes) {
                throw new IllegalArgumentException("cuts " + cuts + " must rise strictly inside " + bytes + " bytes");
            }
            previous = cut;
        }
        return List.copyOf(cuts);
    }

    /** Raw offsets folded into {@code bytes}: inside, distinct and rising; none for empty data. */
    static List<Integer> fold(List<Integer> raw, int bytes) {
        return bytes == 0 ? List.of() : raw.stream().map(c -> Math.floorMod(c, bytes)).filter(c -> c > 0).distinct().sorted().toList();
    }

    /** The pieces' [from, to) bounds as a list 0, cuts..., bytes; empty for empty data. */
    static List<Integer> bounds(List<Integer> cuts, int bytes) {
        List<Integer> bounds = new ArrayList<>();
        if (bytes > 0) {
            bounds.add(0);
            bounds.addAll(cuts);
            bounds.add(bytes);
        }
        return bounds;
    }

    /** Descriptors the data takes. */
    static int pieces(List<Integer> cuts, int bytes) {
        return bytes == 0 ? 0 : cuts.size() + 1;
    }
}
