package org.virtiotck.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved fuzzing failure: the target variant, the seed of the run that found it, the shrunk case and what the
 * oracles said then. Kept as readable JSON in {@code fuzz/regressions/} and replayed by an ordinary test from then on.
 */
public record FuzzRegression(String target, String seed, FuzzCase fuzzCase, List<String> findings) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FuzzRegression {
        findings = List.copyOf(findings);
    }

    /** Writes this regression as {@code dir/name.json} and returns the file. */
    public Path write(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".json");
            JSON.writeValue(file.toFile(), this);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FuzzRegression read(Path file) {
        try {
            return JSON.readValue(file.toFile(), FuzzRegression.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the case again on a fresh session; empty once the device behaves. */
    public List<FuzzFinding> replay() {
        return replay(target, fuzzCase);
    }

    /** Runs {@code fuzzCase} on a fresh session of the one variant {@code target} names. */
    public static List<FuzzFinding> replay(String target, FuzzCase fuzzCase) {
        try (FuzzRunner runner = new FuzzRunner(FuzzHook.variant(target))) {
            return runner.run(fuzzCase);
        }
    }
}
