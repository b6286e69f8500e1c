package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A clause some probe declared that the clause catalogue does not list as declared: an unknown section and label,
 * or a different level. {@code probes} names each probe that declared it ("SimpleClassName#method").
 */
@JsonPropertyOrder({"spec", "section", "label", "level", "problem", "probes"})
public record UncataloguedClause(String spec, String section, String label, Level level, String problem,
                                 List<String> probes) {
}
