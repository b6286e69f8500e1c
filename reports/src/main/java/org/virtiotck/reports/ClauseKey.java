package org.virtiotck.reports;

/** The clause a probe declared through {@link Clause}, detached from the annotation so it can be stored and compared. */
public record ClauseKey(String spec, String section, String label, Level level) {

    public static ClauseKey of(Clause clause) {
        return new ClauseKey(clause.spec(), clause.section(), clause.label(), clause.level());
    }
}
