package org.virtiotck.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Command line: merges several runs' conformance.json into one conformance.json and conformance.html.
 *
 * <pre>MergeMatrices [-o DIR] [alias=]conformance.json ...</pre>
 *
 * Through Maven: {@code mvn -pl reports compile exec:java -Dmerge="inproc=a.json qsd=b.json" -Dmerge.out=DIR}, or
 * {@code scripts/merge-reports}. A missing or unreadable input stops it with one line naming the file.
 */
public final class MergeMatrices {
    /** Where the merged files go unless -o names a directory. */
    public static final String DEFAULT_OUT = "target/virtio-tck-merged";
    private static final String USAGE = "usage: merge-reports [-o DIR] [alias=]conformance.json ...";

    private MergeMatrices() {
    }

    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /** Parses the arguments, merges and writes; returns the merged matrix. */
    public static ConformanceMatrix run(String[] args, PrintStream console) throws IOException {
        Path out = Path.of(DEFAULT_OUT);
        List<MergeInput> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-o") || args[i].equals("--out")) {
                if (i + 1 == args.length || args[i + 1].isBlank()) {
                    throw new MergeException(args[i] + " needs a directory; " + USAGE);
                }
                out = Path.of(args[++i]);
            } else if (args[i].startsWith("-")) {
                throw new MergeException("unknown option " + args[i] + "; " + USAGE);
            } else {
                inputs.add(MergeInput.parse(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            throw new MergeException("no conformance.json named; " + USAGE);
        }
        List<MatrixMerge.Run> runs = inputs.stream().map(MergeMatrices::load).toList();
        ConformanceMatrix merged = MatrixMerge.merge(runs, Instant.now(), ClauseCatalogue.standard());
        write(merged, out, console);
        return merged;
    }

    private static MatrixMerge.Run load(MergeInput input) {
        ConformanceMatrix matrix = input.read();
        String label = input.alias() != null ? input.alias() : TargetLabels.runLabel(matrix.targets());
        return new MatrixMerge.Run(label, input.file().toString(), matrix);
    }

    private static void write(ConformanceMatrix merged, Path out, PrintStream console) throws IOException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new MergeException(out + ": cannot create the output directory: " + e);
        }
        Path json = out.resolve(ConformanceReport.JSON_FILE);
        Path html = out.resolve(ConformanceReport.HTML_FILE);
        try {
            ConformanceJson.write(merged, json);
            ConformanceHtml.write(merged, html);
        } catch (IOException | UncheckedIOException e) {
            throw new MergeException(out + ": cannot write the merged report: " + e);
        }
        console.printf("virtio-tck merge: %d runs, %d clauses, %d target columns%n", merged.runs().size(),
                merged.clauses().size(), merged.targets().size());
        for (MergedRun run : merged.runs()) {
            console.printf("  %-12s %s  (%s)%n", run.label(), totals(run), run.source());
        }
        console.println("virtio-tck merged report: " + html.toAbsolutePath());
        console.println("virtio-tck merged json:   " + json.toAbsolutePath());
    }

    private static String totals(MergedRun run) {
        return run.summary().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("  "));
    }
}
