package org.virtiotck.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Short names for the columns of a merged page. A run's target variants share most of their target string (the
 * back-end's socket and image, say) and differ in a few options; the run's group header shows what they share and
 * each column only what sets it apart ("blk mmio split"), with the whole target string in its tooltip.
 */
final class TargetLabels {
    /** Column label of a variant that has none of the options setting its siblings apart: the target as given. */
    static final String AS_GIVEN = "as given";

    private TargetLabels() {
    }

    /** "inproc:blk?transport=mmio&ring=split" as its base "inproc:blk" and options "transport=mmio", "ring=split". */
    private record Parts(String base, List<String> options) {
        static Parts of(String target) {
            int q = target.indexOf('?');
            if (q < 0) {
                return new Parts(target, List.of());
            }
            return new Parts(target.substring(0, q),
                    Arrays.stream(target.substring(q + 1).split("&")).filter(o -> !o.isEmpty()).toList());
        }

        /** "inproc" of "inproc:blk": the kind of target, shared by all variants of one run. */
        String scheme() {
            int colon = base.indexOf(':');
            return colon < 0 ? base : base.substring(0, colon);
        }

        /** "blk" of "inproc:blk". */
        String afterScheme() {
            int colon = base.indexOf(':');
            return colon < 0 ? base : base.substring(colon + 1);
        }
    }

    /** A run's name: the base its targets share, or else their shared scheme ("inproc", "qemu"). */
    static String runLabel(List<String> targets) {
        List<Parts> parts = targets.stream().map(Parts::of).toList();
        if (parts.isEmpty()) {
            return "empty run";
        }
        String base = parts.get(0).base();
        if (parts.stream().allMatch(p -> p.base().equals(base))) {
            return base;
        }
        String scheme = parts.get(0).scheme();
        return parts.stream().allMatch(p -> p.scheme().equals(scheme)) ? scheme : String.join(", ", targets);
    }

    /**
     * Per target, in order: the part of its base and the values of its options that not every target of the run
     * has ("blk mmio split"), or {@link #AS_GIVEN} when it has none of them.
     */
    static List<String> columnLabels(List<String> targets) {
        List<Parts> parts = targets.stream().map(Parts::of).toList();
        boolean sameBase = parts.stream().map(Parts::base).distinct().count() <= 1;
        List<String> labels = new ArrayList<>();
        for (Parts p : parts) {
            List<String> words = new ArrayList<>();
            if (!sameBase) {
                words.add(p.afterScheme());
            }
            p.options().stream()
                    .filter(o -> !parts.stream().allMatch(other -> other.options().contains(o)))
                    .map(o -> o.substring(o.indexOf('=') + 1))
                    .forEach(words::add);
            labels.add(words.isEmpty() ? AS_GIVEN : String.join(" ", words));
        }
        return labels;
    }
}
