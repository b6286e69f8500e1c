package org.virtiotck.reports;

import java.util.List;

/** The clause a probe declared through {@link Clause}, detached from the annotation so it can be stored and compared. */
public record ClauseKey(String spec, String section, String label, Level level) {

    /** The same clause as it stands in another section, e.g. the packed-ring twin of a split-ring clause. */
    public ClauseKey inSection(String other) {
        return other == null || other.isEmpty() ? this : new ClauseKey(spec, other, label, level);
    }

    public static ClauseKey of(Clause clause) {
        return new ClauseKey(clause.spec(), clause.section(), clause.label(), clause.level());
    }

    /** Every clause an annotation names: its section, then its packed-ring section when it has one. */
    public static List<ClauseKey> declared(Clause clause) {
        ClauseKey key = of(clause);
        return clause.packedSection().isEmpty() ? List.of(key) : List.of(key, key.inSection(clause.packedSection()));
    }
}
