package org.virtiotck.harness.junit;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.TestAbortedException;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.transport.ConfigSpaceUnavailableException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.FeatureNotOfferedException;
import org.virtiotck.driver.Finding;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetVariant;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.Level;
import org.virtiotck.reports.ReportKeys;
import org.virtiotck.reports.Verdict;

/**
 * Turns the way a probe body ended into a verdict, publishes it for the reports, and decides whether it fails
 * the build. A probe that ends with {@link Verdicts#reject} is REJECT, a successful test like PASS. Whatever the
 * probe itself checked, findings the driver model recorded (bad used entries, writes outside writable buffers) also
 * fail it: no probe may pass, or reject, while the device misbehaved under it.
 */
final class VerdictInterceptor implements InvocationInterceptor {
    private static final int SHOWN_FINDINGS = 3;
    private final TargetVariant variant;
    private final boolean strict;
    private final KnownDeviations known;

    VerdictInterceptor(TargetVariant variant, boolean strict, KnownDeviations known) {
        this.variant = variant;
        this.strict = strict;
        this.known = known;
    }

    /** How a probe ended: its verdict, what to report about it, and the throwable that ended it, if any. */
    private record Outcome(Verdict verdict, String detail, Throwable cause) {
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        Method probe = context.getRequiredTestMethod();
        Outcome o = explained(outcome(invocation, context), probe);
        String reproduce = Reproducer.command(variant, probe);
        context.publishReportEntry(ReportKeys.TARGET, variant.canonical());
        context.publishReportEntry(ReportKeys.DEVICE, variant.type().lowerName());
        context.publishReportEntry(ReportKeys.TRANSPORT,
                variant.kind().equals(TargetVariant.VHOST_USER) ? TargetVariant.VHOST_USER : variant.transport());
        context.publishReportEntry(ReportKeys.RING, variant.ring());
        Clause clause = probe.getAnnotation(Clause.class);
        String section = section(clause);
        if (clause != null && !section.equals(clause.section())) {
            context.publishReportEntry(ReportKeys.SECTION, section);
        }
        context.publishReportEntry(ReportKeys.VERDICT, o.verdict().name());
        if (o.detail() != null) {
            context.publishReportEntry(ReportKeys.DETAIL, o.detail());
        }
        if (o.verdict() == Verdict.PASS || o.verdict() == Verdict.REJECT) {
            return;
        }
        if (o.verdict() == Verdict.SKIP) {
            throw o.cause();
        }
        context.publishReportEntry(ReportKeys.REPRODUCE, reproduce);
        trace(context).ifPresent(t -> context.publishReportEntry(ReportKeys.TRACE, t));
        String message = o.verdict() + " " + describe(clause, section) + "\n  " + o.detail() + "\n  reproduce: " + reproduce;
        if (o.verdict() == Verdict.KNOWN) {
            throw new TestAbortedException(message, o.cause());
        }
        if (clause != null && clause.level() == Level.SHOULD && !strict) {
            throw new TestAbortedException("SHOULD clause not met (fails the build only with -Dstrict): " + message, o.cause());
        }
        ProbeFailure failure = new ProbeFailure(message);
        if (o.cause() != null) {
            failure.initCause(o.cause());
        }
        throw failure;
    }

    /** Runs the probe body and reads its ending, with the driver model's findings, as a verdict. */
    private static Outcome outcome(Invocation<Void> invocation, ExtensionContext context) {
        try {
            invocation.proceed();
            String findings = findings(context);
            return findings.isEmpty() ? new Outcome(Verdict.PASS, null, null)
                    : new Outcome(Verdict.FAIL, "device misbehaved during the probe: " + findings, null);
        } catch (RejectedSafely e) {
            // The device refused the malformed request; anything it broke while doing so still fails the probe.
            String findings = findings(context);
            return findings.isEmpty() ? new Outcome(Verdict.REJECT, e.getMessage(), null)
                    : new Outcome(Verdict.FAIL, "device misbehaved while refusing a malformed request ("
                            + e.getMessage() + "): " + findings, null);
        } catch (TestAbortedException e) {
            return new Outcome(Verdict.SKIP, e.getMessage(), e);
        } catch (FeatureNotOfferedException e) {
            String detail = "target variant needs what the device does not offer: " + e.getMessage();
            return new Outcome(Verdict.SKIP, detail, new TestAbortedException(detail, e));
        } catch (ConfigSpaceUnavailableException e) {
            String detail = "target gives no access to the device configuration: " + e.getMessage();
            return new Outcome(Verdict.SKIP, detail, new TestAbortedException(detail, e));
        } catch (DeviceTimeoutException | DeviceLostException e) {
            return new Outcome(Verdict.WEDGED, e.getMessage(), e);
        } catch (AssertionError e) {
            return new Outcome(Verdict.FAIL, e.getMessage() + withFindings(context, e.getMessage()), e);
        } catch (Throwable t) {
            return new Outcome(Verdict.FAIL, "probe stopped by " + t + withFindings(context, null), t);
        }
    }

    /** A FAIL or WEDGED the known-deviation list explains becomes KNOWN, with the list's evidence first. */
    private Outcome explained(Outcome o, Method probe) {
        if (o.verdict() != Verdict.FAIL && o.verdict() != Verdict.WEDGED) {
            return o;
        }
        return known.find(probe.getDeclaringClass().getSimpleName() + "#" + probe.getName(), variant)
                .map(e -> new Outcome(Verdict.KNOWN, "known deviation of " + known.backend() + " (" + e.clause() + "): "
                        + e.evidence() + "\n  this run: " + o.verdict() + " " + o.detail(), o.cause()))
                .orElse(o);
    }

    /** The section this invocation checked: the packed twin of a ring clause on a packed ring. */
    private String section(Clause clause) {
        if (clause == null) {
            return "";
        }
        return variant.ring().equals("packed") && !clause.packedSection().isEmpty() ? clause.packedSection() : clause.section();
    }

    private static String describe(Clause clause, String section) {
        return clause == null ? "(no clause)"
                : "VIRTIO " + clause.spec() + " §" + section + " [" + clause.level() + "] " + clause.label();
    }

    /** What the session's driver recorded, with its findings in full at the end; empty without a session or trace. */
    private static Optional<String> trace(ExtensionContext context) {
        Session session = SessionResolver.current(context);
        if (session == null || !session.driver().trace().on()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder(session.driver().trace().render());
        List<Finding> findings = session.driver().findings();
        if (!findings.isEmpty()) {
            sb.append("findings of the driver model:\n");
            findings.forEach(f -> sb.append("  ").append(f).append('\n'));
        }
        return Optional.of(sb.toString());
    }

    /** The driver model's findings, the first few in full; empty when there are none. */
    private static String findings(ExtensionContext context) {
        Session session = SessionResolver.current(context);
        List<Finding> findings = session == null ? List.of() : session.driver().findings();
        String shown = findings.stream().limit(SHOWN_FINDINGS).map(Finding::toString).collect(Collectors.joining("; "));
        return findings.size() > SHOWN_FINDINGS ? shown + "; and " + (findings.size() - SHOWN_FINDINGS) + " more" : shown;
    }

    /** Findings the probe's own message does not already name. */
    private static String withFindings(ExtensionContext context, String message) {
        String f = findings(context);
        return f.isEmpty() || (message != null && message.contains(f)) ? "" : "\n  also seen: " + f;
    }
}
