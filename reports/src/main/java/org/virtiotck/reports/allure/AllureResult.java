package org.virtiotck.reports.allure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One test result in the Allure 2 results format ({@code <uuid>-result.json}): the fields the Allure report
 * reads, null ones left out. {@code historyId} identifies the same test across runs (and, within one run, what
 * Allure would take for retries), so it covers the target variant as well as the method.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"uuid", "historyId", "testCaseId", "name", "fullName", "description", "status", "statusDetails",
        "stage", "start", "stop", "labels", "links", "parameters", "attachments"})
public record AllureResult(String uuid, String historyId, String testCaseId, String name, String fullName,
        String description, String status, StatusDetails statusDetails, String stage, long start, long stop,
        List<Label> labels, List<Link> links, List<Parameter> parameters, List<Attachment> attachments) {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String BROKEN = "broken";
    public static final String SKIPPED = "skipped";

    /** {@code known} marks a known issue (our KNOWN verdict); {@code trace} is a stack trace. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatusDetails(Boolean known, String message, String trace) {
    }

    public record Label(String name, String value) {
    }

    public record Link(String name, String url, String type) {
    }

    public record Parameter(String name, String value) {
    }

    /** {@code source} is the attachment's file name in the results directory. */
    public record Attachment(String name, String source, String type) {
    }

    /** The value of the first label of that name, or null. */
    public String label(String name) {
        return labels.stream().filter(l -> l.name().equals(name)).map(Label::value).findFirst().orElse(null);
    }
}
