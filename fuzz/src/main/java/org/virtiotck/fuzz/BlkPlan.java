package org.virtiotck.fuzz;

import java.util.List;

/** A blk request plan: requests submitted one after another on request queue 0 of a fresh device. */
public record BlkPlan(List<BlkPlanRequest> requests) {

    public BlkPlan {
        requests = List.copyOf(requests);
    }
}
