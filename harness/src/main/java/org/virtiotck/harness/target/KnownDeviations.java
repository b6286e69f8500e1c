package org.virtiotck.harness.target;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A back-end's list of deviations already found and explained, from the JSON file named by
 * {@code -Dvirtio.known-deviations=FILE}. A probe that FAILs or WEDGEs where an entry matches is reported as
 * {@code KNOWN} with the entry's evidence: visible in every report, never as PASS, and not failing the build.
 * An entry names the probe ({@code Class#method}, as the reproduce line does) and may narrow the target variants
 * with a substring of the canonical target (e.g. {@code ring=split}). An entry for the fuzzer names instead a
 * regular expression that the whole signature of a distinct fuzz finding must match (oracle, the finding with
 * numbers and addresses stripped, and the shape of the request it names, as the fuzz summary prints it); such
 * a finding is reported as known and does not fail the run. Every entry must carry its evidence.
 *
 * @param backend    what the list is about, with its version
 * @param deviations the entries
 */
public record KnownDeviations(String backend, List<Entry> deviations) {
    public static final String PARAMETER = "virtio.known-deviations";
    public static final KnownDeviations NONE = new KnownDeviations("", List.of());

    /**
     * @param probe    {@code Class#method} of the probe, or null for a fuzz entry
     * @param fuzz     for a fuzz entry, the regular expression a finding's signature must match whole; else null
     * @param target   a substring the canonical target must contain, or null for every variant
     * @param clause   the clause the probe (or the device in the fuzz finding) breaks, as a reader finds it in the spec
     * @param evidence what the device does and how it was seen: the reason this is a deviation, not a probe bug
     */
    public record Entry(String probe, String fuzz, String target, String clause, String evidence) {
        boolean matches(String probeName, TargetVariant variant) {
            return probeName.equals(probe) && targets(variant);
        }

        boolean matchesFuzz(String signature, TargetVariant variant) {
            return fuzz != null && Pattern.compile(fuzz).matcher(signature).matches() && targets(variant);
        }

        private boolean targets(TargetVariant variant) {
            return target == null || variant.canonical().contains(target);
        }
    }

    /** Reads the list; a missing, malformed or incomplete file is a one-line {@link TargetException}. */
    public static KnownDeviations load(String file) {
        if (file == null || file.isBlank()) {
            return NONE;
        }
        KnownDeviations list;
        try {
            list = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .readValue(Files.readString(Path.of(file)), KnownDeviations.class);
        } catch (IOException e) {
            throw new TargetException("bad known-deviation list " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + ". Expected: {\"backend\": \"name version\", \"deviations\": [{\"probe\": \"Class#method\" or "
                    + "\"fuzz\": \"signature regex\", \"target\": \"optional substring\", \"clause\": \"§x.y label\", "
                    + "\"evidence\": \"what the device did\"}]}");
        }
        if (list.deviations() == null) {
            throw new TargetException("bad known-deviation list " + file + ": no \"deviations\" array");
        }
        for (Entry e : list.deviations()) {
            boolean probe = !isBlank(e.probe()) && e.probe().contains("#");
            if (probe == !isBlank(e.fuzz()) || isBlank(e.clause()) || isBlank(e.evidence())) {
                throw new TargetException("bad known-deviation list " + file + ": every entry needs either probe "
                        + "(Class#method) or fuzz (a signature regex), and clause and evidence; this one has not: " + e);
            }
            if (e.fuzz() != null) {
                try {
                    Pattern.compile(e.fuzz());
                } catch (PatternSyntaxException x) {
                    throw new TargetException("bad known-deviation list " + file + ": fuzz pattern " + e.fuzz()
                            + " is no regular expression: " + x.getDescription());
                }
            }
        }
        return list;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The fuzz entry explaining a distinct finding with this signature on {@code variant}, if there is one. */
    public Optional<Entry> findFuzz(String signature, TargetVariant variant) {
        return deviations.stream().filter(e -> e.matchesFuzz(signature, variant)).findFirst();
    }

    /** The entry explaining a failure of {@code probeName} on {@code variant}, if there is one. */
    public Optional<Entry> find(String probeName, TargetVariant variant) {
        return deviations.stream().filter(e -> e.matches(probeName, variant)).findFirst();
    }
}
