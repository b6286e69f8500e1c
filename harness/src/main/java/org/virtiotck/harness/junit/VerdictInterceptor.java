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

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        Verdict verdict;
        String detail;
        Throwable cause = null;
        try {
            invocation.proceed();
            String findings = findings(context);
            verdict = findings.isEmpty() ? Verdict.PASS : Verdict.FAIL;
            detail = findings.isEmpty() ? null : "device misbehaved during the probe: " + findings;
        } catch (RejectedSafely e) {
            // The device refused the malformed request; anything it broke while doing so still fails the probe.
            String findings = findings(context);
            verdict = findings.isEmpty() ? Verdict.REJECT : Verdict.FAIL;
            detail = findings.isEmpty() ? e.getMessage()
                    : "device misbehaved while refusing a malformed request (" + e.getMessage() + "): " + findings;
        } catch (TestAbortedException e) {
            verdict = Verdict.SKIP;
            detail = e.getMessage();
            cause = e;
        } catch (FeatureNotOfferedException e) {
            verdict = Verdict.SKIP;
            detail = "target variant needs what the device does not offer: " + e.getMessage();
            cause = new TestAbortedException(detail, e);
        } catch (ConfigSpaceUnavailableException e) {
            verdict = Verdict.SKIP;
            detail = "target gives no access to the device configuration: " + e.getMessage();
            cause = new TestAbortedException(detail, e);
        } catch (DeviceTimeoutException | DeviceLostException e) {
            verdict = Verdict.WEDGED;
            detail = e.getMessage();
            cause = e;
        } catch (AssertionError e) {
            verdict = Verdict.FAIL;
            detail = e.getMessage() + withFindings(context, e.getMessage());
            cause = e;
        } catch (Throwable t) {
            verdict = Verdict.FAIL;
            detail = "probe stopped by " + t + withFindings(context, null);
            cause = t;
        }
        Method probe = context.getRequiredTestMethod();
        String reproduce = Reproducer.command(variant, probe);
        Optional<KnownDeviations.Entry> explained = verdict == Verdict.FAIL || verdict == Verdict.WEDGED
                ? known.find(probe.getDeclaringClass().getSimpleName() + "#" + probe.getName(), variant) : Optional.empty();
        if (explained.isPresent()) {
            detail = "known deviation of " + known.backend() + " (" + explained.get().clause() + "): "
                    + explained.get().evidence() + "\n  this run: " + verdict + " " + detail;
            verdict = Verdict.KNOWN;
        }
        context.publishReportEntry(ReportKeys.TARGET, variant.canonical());
        Clause clause = probe.getAnnotation(Clause.class);
        String section = section(clause);
        if (clause != null && !section.equals(clause.section())) {
            context.publishReportEntry(ReportKeys.SECTION, section);
        }
        context.publishReportEntry(ReportKeys.VERDICT, verdict.name());
        if (detail != null) {
            context.publishReportEntry(ReportKeys.DETAIL, detail);
        }
        if (verdict == Verdict.PASS || verdict == Verdict.REJECT) {
            return;
        }
        if (verdict == Verdict.SKIP) {
            throw cause;
        }
        context.publishReportEntry(ReportKeys.REPRODUCE, reproduce);
        String message = verdict + " " + describe(clause, section) + "\n  " + detail + "\n  reproduce: " + reproduce;
        if (verdict == Verdict.KNOWN) {
            throw new TestAbortedException(message, cause);
        }
        if (clause != null && clause.level() == Level.SHOULD && !strict) {
            throw new TestAbortedException("SHOULD clause not met (fails the build only with -Dstrict): " + message, cause);
        }
        ProbeFailure failure = new ProbeFailure(message);
        if (cause != null) {
            failure.initCause(cause);
        }
        throw failure;
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
