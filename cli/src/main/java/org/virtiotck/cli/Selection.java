package org.virtiotck.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code --only} picks: clause sections ({@code 5.2.6}, which also takes its subsections), probe classes
 * ({@code BlkIoProbes}), single probes ({@code BlkIoProbes#getIdIsNulPaddedAscii}) and the fuzz run
 * ({@code fuzz}). Without {@code --only} every probe runs and the fuzz run follows.
 */
final class Selection {
    static final String FUZZ = "fuzz";
    static final String ACCEPTED = "a clause section (5.2.6), a probe class (BlkIoProbes), a probe "
            + "(BlkIoProbes#getIdIsNulPaddedAscii) or fuzz, repeated or separated by commas";
    private static final Pattern SECTION = Pattern.compile("\\d+(\\.\\d+)*");

    private final List<String> values;

    private Selection(List<String> values) {
        this.values = values;
    }

    static Selection of(List<String> only) {
        return new Selection(only == null ? List.of()
                : only.stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList());
    }

    boolean everything() {
        return values.isEmpty();
    }

    /** Whether the fuzz run is selected: always without --only, else only when named. */
    boolean fuzz() {
        return everything() || values.contains(FUZZ);
    }

    /** Whether any probe is selected at all (--only fuzz selects none). */
    boolean anyProbe() {
        return everything() || values.stream().anyMatch(v -> !v.equals(FUZZ));
    }

    boolean matches(ProbeEntry probe) {
        return everything() || values.stream().anyMatch(v -> matches(v, probe));
    }

    /** The values that select nothing among {@code probes}: each is a mistake worth one line. */
    List<String> unmatched(List<ProbeEntry> probes) {
        return values.stream().filter(v -> !v.equals(FUZZ) && probes.stream().noneMatch(p -> matches(v, p))).toList();
    }

    private static boolean matches(String value, ProbeEntry probe) {
        if (SECTION.matcher(value).matches()) {
            return probe.clause() != null && (inSection(value, probe.clause().section())
                    || inSection(value, probe.clause().packedSection()));
        }
        int hash = value.indexOf('#');
        String type = hash < 0 ? value : value.substring(0, hash);
        boolean typeMatches = type.equals(probe.type().getSimpleName()) || type.equals(probe.type().getName());
        return typeMatches && (hash < 0 || value.substring(hash + 1).equals(probe.method().getName()));
    }

    private static boolean inSection(String wanted, String section) {
        return !section.isEmpty() && (section.equals(wanted) || section.startsWith(wanted + "."));
    }
}
