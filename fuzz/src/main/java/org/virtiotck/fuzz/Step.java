package org.virtiotck.fuzz;

import java.util.List;

/**
 * Requests made available together, then one notification per queue they use: the device has all of them in
 * flight at once and may complete them in any order the negotiated features allow.
 */
public record Step(List<FuzzRequest> requests) {

    public Step {
        requests = List.copyOf(requests);
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("a step makes at least one request available");
        }
    }
}
