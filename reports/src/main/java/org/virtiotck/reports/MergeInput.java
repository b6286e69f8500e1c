package org.virtiotck.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One conformance.json to merge, named on the command line as {@code path} or {@code alias=path}; the alias
 * labels the run's columns ("qsd=target/backends/qsd-rw/conformance.json").
 *
 * @param alias null when the argument gave none
 */
public record MergeInput(String alias, Path file) {
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");

    public static MergeInput parse(String argument) {
        int eq = argument.indexOf('=');
        if (eq > 0 && ALIAS.matcher(argument.substring(0, eq)).matches()) {
            String path = argument.substring(eq + 1);
            if (path.isBlank()) {
                throw new MergeException("'" + argument + "': no file after the alias (alias=path/conformance.json)");
            }
            return new MergeInput(argument.substring(0, eq), Path.of(path));
        }
        if (argument.isBlank()) {
            throw new MergeException("an empty argument where a conformance.json (or alias=file) was expected");
        }
        return new MergeInput(null, Path.of(argument));
    }

    /** The run the file holds, checked enough to merge: a virtio-tck matrix whose probe runs name its targets. */
    public ConformanceMatrix read() {
        if (Files.isDirectory(file)) {
            throw bad("is a directory, not a conformance.json");
        }
        if (!Files.isRegularFile(file)) {
            throw bad("no such file");
        }
        ConformanceMatrix matrix;
        try {
            matrix = ConformanceJson.read(file);
        } catch (InvalidFormatException e) {
            throw bad("not a conformance.json: " + invalidValue(e) + where(e));
        } catch (JsonProcessingException e) {
            throw bad("not valid conformance.json: " + firstLine(e.getOriginalMessage()) + where(e));
        } catch (IOException e) {
            throw bad("cannot be read: " + e.getMessage());
        }
        if (matrix == null || !ConformanceMatrix.TOOL.equals(matrix.tool())) {
            throw bad("not a conformance.json of " + ConformanceMatrix.TOOL + " (no \"tool\": \"" + ConformanceMatrix.TOOL + "\")");
        }
        if (matrix.targets() == null || matrix.clauses() == null || matrix.summary() == null) {
            throw bad("has no \"targets\", \"summary\" or \"clauses\"");
        }
        for (ClauseRow row : matrix.clauses()) {
            if (row == null || row.spec() == null || row.section() == null || row.label() == null || row.level() == null || row.probes() == null) {
                throw bad("a clause lacks its spec, section, label, level or probes");
            }
            for (ProbeRun run : row.probes()) {
                if (run == null || run.verdict() == null || run.probe() == null || !matrix.targets().contains(run.target())) {
                    throw bad("§" + row.section() + ": a probe run without verdict, or on a target not in \"targets\"");
                }
            }
        }
        return matrix;
    }

    private MergeException bad(String problem) {
        return new MergeException(file + ": " + problem);
    }

    /** "\"GREAT\" is not one of PASS, ..." rather than Jackson's two-sentence message. */
    private static String invalidValue(InvalidFormatException e) {
        Class<?> type = e.getTargetType();
        String accepted = type != null && type.isEnum()
                ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                .collect(Collectors.joining(", "))
                : "a " + (type == null ? "value of the expected type" : type.getSimpleName());
        return "\"" + e.getValue() + "\" is not " + accepted;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
