package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One device-side requirement of the clause catalogue: a section number of the spec, MUST or SHOULD (a MUST NOT is
 * a MUST, a SHOULD NOT a SHOULD), our own short wording, and an optional note (a feature it needs, what a later
 * spec version changed, or that it comes from descriptive text).
 */
@JsonPropertyOrder({"section", "level", "label", "note"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogueClause(String section, Level level, String label, String note) {
}
