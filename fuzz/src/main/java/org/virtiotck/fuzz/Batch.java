package org.virtiotck.fuzz;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Steps run on one initialisation of the device: a batch starts with a reset and a fresh negotiation. It may end
 * with a {@link Mutation} (null for none), run on a reset device of its own; a batch of a mutation alone has no
 * steps.
 */
public record Batch(List<Step> steps, @JsonInclude(JsonInclude.Include.NON_NULL) Mutation mutation) {

    @JsonCreator
    public Batch {
        steps = List.copyOf(steps);
        if (steps.isEmpty() && mutation == null) {
            throw new IllegalArgumentException("a batch has a step or a mutation");
        }
    }

    public Batch(List<Step> steps) {
        this(steps, null);
    }
}
