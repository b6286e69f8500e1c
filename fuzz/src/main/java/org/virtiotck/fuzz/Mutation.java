package org.virtiotck.fuzz;

/**
 * What ends a batch after its steps: a well-formed {@code request} of the device type, laid out raw on its queue
 * of a freshly reset device and broken as {@code kind} says, at the buffer {@code at} (modulo their count), with
 * {@code value} choosing among the variants of the kind (which index a cycle goes back to, how far an idx
 * moves). The device may refuse it; it must not write outside the device-writable bytes, nor report more, and
 * after a reset it must serve a well-formed request again ({@link MutatedRequest}).
 */
public record Mutation(FuzzRequest request, MutationKind kind, int at, int value) {

    public Mutation {
        if (at < 0 || value < 0) {
            throw new IllegalArgumentException("mutation at " + at + ", value " + value + " must not be negative");
        }
    }
}
