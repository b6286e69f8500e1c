package org.virtiotck.probes.malformed;

import java.util.List;
import org.virtiotck.driver.DeviceLostException;
import org.virtiotck.driver.DeviceNeedsResetException;
import org.virtiotck.driver.DeviceTimeoutException;
import org.virtiotck.driver.Finding;
import org.virtiotck.harness.junit.Check;
import org.virtiotck.harness.junit.Verdicts;
import org.virtiotck.harness.session.Session;
import org.virtiotck.harness.session.Sessions;
import org.virtiotck.harness.session.VhostUserSession;
import org.virtiotck.harness.vhostuser.linux.NativeCallException;
import org.virtiotck.probes.Workload;

/**
 * The verdict on a malformed request, the same for every probe of the family (DESIGN §6):
 * <ul>
 * <li>FAIL when the device wrote guest memory outside device-writable bytes (the allocator's canaries, the
 * readable buffers, the stale descriptors' buffers), or returned the request claiming more bytes than the chain's
 * device-writable ones, or more buffers than were made available;</li>
 * <li>otherwise the device must serve a well-formed request: after a reset, or for a vhost-user back-end that
 * closed the connection, on a new connection; if it does not within the deadline, WEDGED;</li>
 * <li>then REJECT when the device refused the request (left it unused, set DEVICE_NEEDS_RESET, signalled the err
 * eventfd or dropped the connection), and for a request it returned, what the probe says the spec allows.</li>
 * </ul>
 */
final class Judgement {
    /** What returning the malformed request (without harm) means for the probe's case. */
    enum IfReturned {
        /** The spec gives the request a meaning a device may carry out: PASS. */
        PASS,
        /** No meaning, and no device requirement forbids returning it: the device tolerated it, REJECT. */
        REJECT,
        /** A device requirement forbids using it: FAIL, naming that requirement. */
        FAIL
    }

    private Judgement() {
    }

    /**
     * Notifies the queue, judges what the device did with the malformed request described by {@code what}, whose
     * chain names {@code writableBytes} device-writable bytes, and checks the device serves again.
     *
     * @param forbidden for {@link IfReturned#FAIL}, the device requirement that returning the request breaks
     */
    static void judge(RawRequestQueue q, String what, long writableBytes, IfReturned ifReturned, String forbidden) {
        RawRequestQueue.Outcome o = q.notifyAndObserve();
        Session session = q.session();
        List<Finding> findings = session.driver().findings();
        Check.that(findings.isEmpty(), "guest memory after " + what, "nothing written outside device-writable bytes",
                findings.isEmpty() ? "" : findings.size() + " finding(s), the first: " + findings.get(0));
        List<String> damage = q.damage();
        Check.that(damage.isEmpty(), "guest memory after " + what, "nothing written outside device-writable bytes",
                String.join("; ", damage));
        if (o.completed()) {
            Check.that(o.usedCount() == 1, "used idx after " + what, "moved by at most the one request made available",
                    "moved by " + o.usedCount());
            Check.that(o.len() <= writableBytes, "used len of " + what, "at most the " + writableBytes
                    + " device-writable bytes its chain names", "len " + o.len());
            Check.that(ifReturned != IfReturned.FAIL, what, "not used (" + forbidden + ")", o.describe());
        }
        String served = serveWellFormed(session, o);
        if (o.completed() && ifReturned == IfReturned.PASS) {
            return;
        }
        Verdicts.reject(what + ": " + o.describe() + "; " + served);
    }

    static void judge(RawRequestQueue q, String what, long writableBytes, IfReturned ifReturned) {
        judge(q, what, writableBytes, ifReturned, null);
    }

    /**
     * Liveness: a well-formed request completes after a reset, or on a new connection where a vhost-user back-end
     * closed the old one, whether it did so within the window or only later, during the reset. A device that does
     * not get there within the deadline is WEDGED.
     */
    private static String serveWellFormed(Session session, RawRequestQueue.Outcome o) {
        if (!(session instanceof VhostUserSession)) {
            serveOne(session);
            return "a well-formed request was served after a reset";
        }
        String closed = o.lost();
        if (closed == null) {
            try {
                serveOne(session);
                return "a well-formed request was served after a reset";
            } catch (DeviceLostException e) {
                closed = e.getMessage();
            }
        }
        try (Session again = Sessions.open(session.target())) {
            serveOne(again);
        } catch (NativeCallException e) {
            throw new DeviceLostException("the back-end accepts no new connection after it closed the one that "
                    + "carried a malformed request: " + e.getMessage());
        }
        return (o.lost() == null ? "the back-end then closed the connection (" + closed + "); " : "")
                + "a well-formed request was served on a new connection";
    }

    private static void serveOne(Session session) {
        Workload w = Workload.start(session);
        Workload.Request r = w.request();
        try {
            w.driver().submit(w.queue(), r.readable(), r.writable());
        } catch (DeviceNeedsResetException e) {
            // A device that refuses a well-formed request right after a reset only recovers by restart.
            throw new DeviceTimeoutException("serve a well-formed request after the reset (" + e.getMessage() + ")",
                    w.driver().deadline().budget());
        }
    }
}
