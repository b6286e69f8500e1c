package org.virtiotck.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Every case one part smaller than a given one: without one batch, one step, one request, one cut of a request's
 * data or one batch's mutation. A step, batch or case left empty goes too. Used to prove a shrunk case minimal:
 * none of these may still show the fault.
 */
final class CaseReductions {
    private CaseReductions() {
    }

    static List<FuzzCase> of(FuzzCase c) {
        List<FuzzCase> out = new ArrayList<>();
        List<Batch> batches = c.batches();
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            out.add(withBatch(c, b, null));
            if (batch.mutation() != null) {
                out.add(withBatch(c, b, batch.steps().isEmpty() ? null : new Batch(batch.steps(), null)));
                for (FuzzRequest r : fewerCuts(batch.mutation().request())) {
                    Mutation m = batch.mutation();
                    out.add(withBatch(c, b, new Batch(batch.steps(), new Mutation(r, m.kind(), m.at(), m.value()))));
                }
            }
            for (int s = 0; s < batch.steps().size(); s++) {
                Step step = batch.steps().get(s);
                out.add(withBatch(c, b, withStep(batch, s, null)));
                for (int r = 0; r < step.requests().size(); r++) {
                    FuzzRequest request = step.requests().get(r);
                    out.add(withBatch(c, b, withStep(batch, s, without(step, r, null))));
                    for (FuzzRequest fewer : fewerCuts(request)) {
                        out.add(withBatch(c, b, withStep(batch, s, without(step, r, fewer))));
                    }
                }
            }
        }
        return out;
    }

    /** The request once for each of its cuts, without that cut. */
    private static List<FuzzRequest> fewerCuts(FuzzRequest request) {
        List<FuzzRequest> out = new ArrayList<>();
        if (request instanceof BlkFuzzRequest r) {
            for (int i = 0; i < r.cuts().size(); i++) {
                List<Integer> cuts = new ArrayList<>(r.cuts());
                cuts.remove(i);
                out.add(new BlkFuzzRequest(r.type(), r.sector(), r.sectors(), cuts, r.indirect()));
            }
        }
        return out;
    }

    private static FuzzCase withBatch(FuzzCase c, int b, Batch replacement) {
        return new FuzzCase(c.ringFeatures(), replaced(c.batches(), b, replacement));
    }

    private static Batch withStep(Batch batch, int s, Step replacement) {
        List<Step> steps = replaced(batch.steps(), s, replacement);
        return steps.isEmpty() && batch.mutation() == null ? null : new Batch(steps, batch.mutation());
    }

    /** The step with request {@code r} replaced, or removed when {@code replacement} is null; null when empty. */
    private static Step without(Step step, int r, FuzzRequest replacement) {
        List<FuzzRequest> requests = replaced(step.requests(), r, replacement);
        return requests.isEmpty() ? null : new Step(requests);
    }

    private static <T> List<T> replaced(List<T> list, int i, T replacement) {
        List<T> out = new ArrayList<>(list);
        if (replacement == null) {
            out.remove(i);
        } else {
            out.set(i, replacement);
        }
        return out;
    }

}
