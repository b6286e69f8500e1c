package org.virtiotck.fuzz;

import java.util.List;

/** Steps run on one initialisation of the device: a batch starts with a reset and a fresh negotiation. */
public record Batch(List<Step> steps) {

    public Batch {
        steps = List.copyOf(steps);
    }
}
