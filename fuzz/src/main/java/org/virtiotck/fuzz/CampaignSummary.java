package org.virtiotck.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a fuzz run did, written as JSON to {@code fuzz/target/fuzz/summary.json} and printed short: the target,
 * campaign seed and shard, the duration asked for (null for the CI-bounded run) and spent, cases and cases per
 * second, rounds, cases with a finding per oracle, and the distinct findings with their saved regressions, apart
 * from those the back-end's known-deviation list explains.
 */
public record CampaignSummary(String target, String seed, String shard, String duration, double elapsedSeconds,
        long cases, double casesPerSecond, int rounds, int failedRounds, Map<String, Long> findingsByOracle,
        List<Distinct> distinctFindings, List<Distinct> knownFindings) {
    public static final String FILE_PROPERTY = "fuzz.summary";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One distinct finding: its signature, the first finding as the shrunk case showed it, how many rounds found
     * it, the regression file saved by the first of them (null if none was saved) and that round's reproduce line.
     */
    public record Distinct(String oracle, String signature, String finding, int rounds, String regression,
            String reproduce) {
    }

    public CampaignSummary {
        findingsByOracle = Map.copyOf(findingsByOracle);
        distinctFindings = List.copyOf(distinctFindings);
        knownFindings = knownFindings == null ? List.of() : List.copyOf(knownFindings);
    }

    /** Where the summary goes: {@code -Dfuzz.summary} (the pom: fuzz/target/fuzz/summary.json). */
    public static Path file() {
        return Path.of(System.getProperty(FILE_PROPERTY, "target/fuzz/summary.json"));
    }

    public Path write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            JSON.writeValue(file.toFile(), this);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CampaignSummary read(Path file) {
        try {
            return JSON.readValue(file.toFile(), CampaignSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A few lines for the console. */
    public String text() {
        StringBuilder sb = new StringBuilder(String.format(
                "fuzz summary: %s seed %s shard %s%s: %d cases in %.1f s (%.0f/s), %d rounds, %d failed; findings %s",
                target, seed, shard, duration == null ? "" : " for " + duration, cases, elapsedSeconds,
                casesPerSecond, rounds, failedRounds, findingsByOracle.isEmpty() ? "none" : findingsByOracle));
        for (Distinct d : distinctFindings) {
            sb.append("\n  ").append(d.signature()).append(" (").append(d.rounds()).append(" round(s))")
                    .append("\n    ").append(d.finding())
                    .append("\n    regression: ").append(d.regression())
                    .append("\n    reproduce: ").append(d.reproduce());
        }
        for (Distinct d : knownFindings) {
            sb.append("\n  known: ").append(d.signature()).append(" (").append(d.rounds()).append(" round(s))");
        }
        return sb.toString();
    }
}
