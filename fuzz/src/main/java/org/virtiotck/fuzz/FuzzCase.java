package org.virtiotck.fuzz;

import java.util.List;
import org.virtiotck.driver.feature.Feature;
import org.virtiotck.driver.feature.FeatureSet;

/**
 * What one fuzz case does to a device: the ring features the driver accepts where offered (the rest of the
 * device type's features are its {@link DeviceFuzz}'s choice), and batches, each on a freshly reset and
 * renegotiated device.
 */
public record FuzzCase(List<Feature> ringFeatures, List<Batch> batches) {
    /** The ring features a case may accept or refuse; the ring layout itself is the target variant's. */
    public static final List<Feature> RING_OPTIONS =
            List.of(Feature.INDIRECT_DESC, Feature.EVENT_IDX, Feature.IN_ORDER);

    public FuzzCase {
        ringFeatures = List.copyOf(ringFeatures);
        batches = List.copyOf(batches);
        if (!RING_OPTIONS.containsAll(ringFeatures)) {
            throw new IllegalArgumentException("ring features " + ringFeatures + " are not among " + RING_OPTIONS);
        }
    }

    public FeatureSet features() {
        FeatureSet set = FeatureSet.NONE;
        for (Feature f : ringFeatures) {
            set = set.with(f);
        }
        return set;
    }

    /**
     * The shape of request {@code index} as {@link FuzzRunner} numbers them (each batch's steps, then its mutated
     * request, then after a last-batch mutation the well-formed check request); empty beyond the case.
     */
    public String shapeOf(int index) {
        int i = 0;
        for (int b = 0; b < batches.size(); b++) {
            Batch batch = batches.get(b);
            for (Step step : batch.steps()) {
                for (FuzzRequest r : step.requests()) {
                    if (i++ == index) {
                        return r.shape();
                    }
                }
            }
            Mutation m = batch.mutation();
            if (m != null && i++ == index) {
                return "mutated (" + m.kind() + ") " + m.request().shape();
            }
            if (m != null && b == batches.size() - 1 && i++ == index) {
                return m.request().shape();
            }
        }
        return "";
    }

    /** Every request of the case, in the order the batches make them available. */
    public List<FuzzRequest> requests() {
        return batches.stream().flatMap(b -> b.steps().stream()).flatMap(s -> s.requests().stream()).toList();
    }
}
