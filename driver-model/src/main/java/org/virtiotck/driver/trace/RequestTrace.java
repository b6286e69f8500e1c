package org.virtiotck.driver.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * What the driver and its transport did during one session, as one line per event (a chain made available with
 * its descriptors, a used entry taken back with its len, a notification, a status write, a vhost-user message),
 * kept for the report of a probe that fails. Bounded: only the newest {@code capacity} events are kept, each cut
 * to {@link #MAX_EVENT} characters, so a long probe or a chatty back-end cannot grow it without end.
 *
 * <p>{@link #OFF} records nothing; callers test {@link #on()} before building an event's text, so a driver
 * without a trace (benchmarks, the fuzzer) pays nothing for it. Thread-safe: device threads may record too.
 */
public final class RequestTrace {
    /** Longest event kept; longer ones are cut, saying so. */
    public static final int MAX_EVENT = 400;
    /** Events a probe session keeps: enough for a probe's requests, small enough to read. */
    public static final int SESSION_CAPACITY = 512;
    /** A trace that keeps nothing. */
    public static final RequestTrace OFF = new RequestTrace(0);

    private final String[] events;
    private long recorded;

    private RequestTrace(int capacity) {
        this.events = new String[capacity];
    }

    /** A trace that keeps the newest {@code capacity} events. */
    public static RequestTrace bounded(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a trace keeps at least one event, not " + capacity);
        }
        return new RequestTrace(capacity);
    }

    public boolean on() {
        return events.length > 0;
    }

    public synchronized void record(String event) {
        if (events.length == 0) {
            return;
        }
        String e = event.length() <= MAX_EVENT ? event : event.substring(0, MAX_EVENT) + " ...(cut)";
        events[(int) (recorded % events.length)] = e;
        recorded++;
    }

    /** Events recorded since the start, including those no longer kept. */
    public synchronized long recorded() {
        return recorded;
    }

    /** The kept events, oldest first. */
    public synchronized List<String> events() {
        int kept = (int) Math.min(recorded, events.length);
        List<String> out = new ArrayList<>(kept);
        for (long i = recorded - kept; i < recorded; i++) {
            out.add(events[(int) (i % events.length)]);
        }
        return out;
    }

    /** The kept events numbered from the session's start, with a first line saying how many were dropped. */
    public synchronized String render() {
        List<String> kept = events();
        long first = recorded - kept.size();
        StringBuilder sb = new StringBuilder();
        sb.append(recorded).append(" events");
        if (first > 0) {
            sb.append(", the first ").append(first).append(" dropped (a trace keeps the newest ").append(events.length)
                    .append(')');
        }
        sb.append('\n');
        for (int i = 0; i < kept.size(); i++) {
            sb.append('#').append(first + i + 1).append(' ').append(kept.get(i)).append('\n');
        }
        return sb.toString();
    }
}
