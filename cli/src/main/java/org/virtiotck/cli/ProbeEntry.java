package org.virtiotck.cli;

import java.lang.reflect.Method;
import java.util.Comparator;
import org.virtiotck.reports.Clause;
import org.virtiotck.reports.SectionOrder;

/** One probe as the command line names it ({@code Class#method}), with the clause it checks. */
record ProbeEntry(Class<?> type, Method method, Clause clause) {
    /** Spec order of the sections, then by name; probes without a clause last. */
    static final Comparator<ProbeEntry> BY_SECTION = Comparator
            .comparing((ProbeEntry p) -> p.clause() == null ? "~" : p.clause().section(), SectionOrder.INSTANCE)
            .thenComparing(ProbeEntry::name);

    String name() {
        return type.getSimpleName() + "#" + method.getName();
    }

    /** The line {@code --list} prints: section (and its packed-ring twin), level, label, probe. */
    String listLine() {
        if (clause == null) {
            return "(no clause) " + name();
        }
        String section = clause.packedSection().isEmpty() ? clause.section() : clause.section() + "/" + clause.packedSection();
        return section + " [" + clause.level() + "] " + clause.label() + " — " + name();
    }
}
