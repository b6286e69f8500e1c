package org.virtiotck.reports.allure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtiotck.reports.ClauseCatalogue;
import org.virtiotck.reports.ClauseKey;
import org.virtiotck.reports.Level;
import org.virtiotck.reports.ReportKeys;
import org.virtiotck.reports.Verdict;
import org.virtiotck.reports.allure.AllureResult.Attachment;
import org.virtiotck.reports.allure.AllureResult.Label;
import org.virtiotck.reports.allure.AllureResult.Link;
import org.virtiotck.reports.allure.AllureResult.Parameter;
import org.virtiotck.reports.allure.AllureResult.StatusDetails;

/**
 * Builds the Allure result of a finished test. A probe gets its verdict as the status ({@link AllureStatus}), the
 * labels of its clause and target (clause, section, level, severity, device, target, transport, ring, verdict),
 * suites by spec chapter (parentSuite), device type (suite) and probe class (subSuite), the catalogue area as the
 * feature, a link to its section ({@link SpecLinks}), and for FAIL, WEDGED and KNOWN the request trace the harness
 * published, as an attachment. Any other test (the fuzz run's) gets its JUnit outcome, with the target its display
 * name names.
 */
public final class ProbeResults {
    /** Name of the trace attachment. */
    public static final String TRACE_ATTACHMENT = "request trace";
    /** The fuzz run's display names end in "on &lt;target&gt;". */
    private static final Pattern TARGET_IN_NAME = Pattern.compile(" on ((?:inproc|vhost-user|qemu)[^ ]*)");

    /** Writes attachments, so a result can name them. */
    public interface Attachments {
        Attachment text(String name, String content);
    }

    private final SpecLinks links;
    private final ClauseCatalogue catalogue;

    public ProbeResults(SpecLinks links, ClauseCatalogue catalogue) {
        this.links = links;
        this.catalogue = catalogue;
    }

    /** The result of one probe invocation: {@code clause} already in the section the invocation checked. */
    public AllureResult probe(TestCall call, ClauseKey clause, Verdict verdict, Map<String, String> published,
            Attachments attachments) {
        String target = published.get(ReportKeys.TARGET);
        String device = published.getOrDefault(ReportKeys.DEVICE, "unknown device");
        List<Label> labels = new ArrayList<>();
        labels.add(new Label("clause", "§" + clause.section() + " " + clause.label()));
        labels.add(new Label("section", clause.section()));
        labels.add(new Label("level", clause.level().name()));
        labels.add(new Label("severity", clause.level() == Level.MUST ? "critical" : "normal"));
        labels.add(new Label("verdict", verdict.name()));
        labels.add(new Label("device", device));
        optional(labels, "target", target);
        optional(labels, "transport", published.get(ReportKeys.TRANSPORT));
        optional(labels, "ring", published.get(ReportKeys.RING));
        labels.add(new Label("parentSuite", links.chapter(clause.spec(), clause.section())
                .orElse(specName(clause.spec()))));
        labels.add(new Label("suite", device));
        labels.add(new Label("subSuite", call.simpleClassName()));
        labels.add(new Label("epic", specName(clause.spec())));
        catalogue.find(clause.spec(), clause.section(), clause.label())
                .ifPresent(e -> labels.add(new Label("feature", e.area().title())));
        labels.add(new Label("story", "§" + clause.section() + " " + clause.label()));
        javaLabels(labels, call);

        String reproduce = published.get(ReportKeys.REPRODUCE);
        String detail = published.get(ReportKeys.DETAIL);
        StatusDetails details = null;
        if (verdict != Verdict.PASS) {
            String message = detail == null ? call.message() : detail;
            if (reproduce != null) {
                message = (message == null ? "" : message + "\n") + "reproduce: " + reproduce;
            }
            details = new StatusDetails(verdict == Verdict.KNOWN ? Boolean.TRUE : null, message,
                    verdict == Verdict.FAIL || verdict == Verdict.WEDGED ? call.stackTrace() : null);
        }
        List<Attachment> attached = new ArrayList<>();
        String trace = published.get(ReportKeys.TRACE);
        if (trace != null && (verdict == Verdict.FAIL || verdict == Verdict.WEDGED || verdict == Verdict.KNOWN)) {
            attached.add(attachments.text(TRACE_ATTACHMENT, trace));
        }
        String fullName = call.className() + "." + call.methodName() + (target == null ? "" : "[" + target + "]");
        String description = "VIRTIO " + clause.spec() + " §" + clause.section() + " [" + clause.level() + "] "
                + clause.label() + (reproduce == null ? "" : "\n\nreproduce: " + reproduce);
        List<Link> linkList = links.link(clause.spec(), clause.section()).map(List::of).orElse(List.of());
        List<Parameter> parameters = target == null ? List.of() : List.of(new Parameter("target", target));
        return new AllureResult(UUID.randomUUID().toString(), md5(fullName),
                md5(call.className() + "." + call.methodName()), call.methodName() + " " + call.displayName(), fullName,
                description, AllureStatus.of(verdict), details, "finished", call.start(), call.stop(), labels, linkList,
                parameters, attached);
    }

    /** The result of a test that is not a probe: its JUnit outcome as the status. */
    public AllureResult test(TestCall call, String status, boolean knownAbort) {
        List<Label> labels = new ArrayList<>();
        Matcher m = TARGET_IN_NAME.matcher(call.displayName());
        Optional<String> target = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        target.ifPresent(t -> labels.add(new Label("target", t)));
        labels.add(new Label("parentSuite", call.packageName()));
        labels.add(new Label("suite", call.simpleClassName()));
        labels.add(new Label("severity", "normal"));
        javaLabels(labels, call);
        StatusDetails details = call.thrown() == null ? null
                : new StatusDetails(knownAbort ? Boolean.TRUE : null, call.message(),
                        AllureResult.SKIPPED.equals(status) ? null : call.stackTrace());
        String fullName = call.className() + "." + call.methodName() + "[" + call.displayName() + "]";
        return new AllureResult(UUID.randomUUID().toString(), md5(fullName),
                md5(call.className() + "." + call.methodName()), call.displayName(), fullName, null, status, details,
                "finished", call.start(), call.stop(), labels, List.of(), List.of(), List.of());
    }

    private static void javaLabels(List<Label> labels, TestCall call) {
        labels.add(new Label("package", call.packageName()));
        labels.add(new Label("testClass", call.className()));
        labels.add(new Label("testMethod", call.methodName()));
        labels.add(new Label("framework", "junit-platform"));
        labels.add(new Label("language", "java"));
    }

    private static void optional(List<Label> labels, String name, String value) {
        if (value != null && !value.isEmpty()) {
            labels.add(new Label(name, value));
        }
    }

    private static String specName(String spec) {
        return "7.2".equals(spec) ? "vhost-user (QEMU 7.2)" : "VIRTIO " + spec;
    }

    /** Allure's ids are hex digests of the test's name. */
    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
