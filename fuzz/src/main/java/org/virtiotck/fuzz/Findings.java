package org.virtiotck.fuzz;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the oracles found while one case ran, each finding once, in the order found. */
public final class Findings {
    private final Set<FuzzFinding> found = new LinkedHashSet<>();

    public void add(int request, String oracle, String detail) {
        found.add(new FuzzFinding(request, oracle, detail));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<FuzzFinding> list() {
        return List.copyOf(found);
    }
}
