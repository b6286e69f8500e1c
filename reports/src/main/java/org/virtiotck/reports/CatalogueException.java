package org.virtiotck.reports;

import java.util.List;

/** The clause catalogue could not be read or breaks a rule; the message names every file and clause at fault. */
public final class CatalogueException extends RuntimeException {
    private final List<String> problems;

    public CatalogueException(List<String> problems) {
        super("clause catalogue is invalid:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the file it was found in. */
    public List<String> problems() {
        return problems;
    }
}
