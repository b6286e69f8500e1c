package org.virtiotck.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a matrix as conformance.json, conformance.html and junit.xml (every verdict named), or those of them
 * asked for, into one directory and prints the console summary.
 */
public final class ConformanceReport {
    public static final String JSON_FILE = "conformance.json";
    public static final String HTML_FILE = "conformance.html";
    public static final String JUNIT_FILE = "junit.xml";

    private ConformanceReport() {
    }

    public static void publish(ConformanceMatrix matrix, Path outputDir, PrintStream console) throws IOException {
        publish(matrix, outputDir, EnumSet.allOf(ReportFormat.class), console);
    }

    /** Writes only the files of {@code formats}; the console summary names the HTML and JSON files when written. */
    public static void publish(ConformanceMatrix matrix, Path outputDir, Set<ReportFormat> formats, PrintStream console)
            throws IOException {
        Files.createDirectories(outputDir);
        Path json = formats.contains(ReportFormat.JSON) ? outputDir.resolve(JSON_FILE) : null;
        Path html = formats.contains(ReportFormat.HTML) ? outputDir.resolve(HTML_FILE) : null;
        if (json != null) {
            ConformanceJson.write(matrix, json);
        }
        if (html != null) {
            ConformanceHtml.write(matrix, html);
        }
        if (formats.contains(ReportFormat.JUNIT)) {
            VerdictJunitXml.write(matrix, outputDir.resolve(JUNIT_FILE));
        }
        ConsoleSummary.print(matrix, html, json, console);
    }
}
