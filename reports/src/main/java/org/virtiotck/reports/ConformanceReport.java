package org.virtiotck.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a matrix as conformance.json, conformance.html and junit.xml (every verdict named) into one directory
 * and prints the console summary.
 */
public final class ConformanceReport {
    public static final String JSON_FILE = "conformance.json";
    public static final String HTML_FILE = "conformance.html";
    public static final String JUNIT_FILE = "junit.xml";

    private ConformanceReport() {
    }

    public static void publish(ConformanceMatrix matrix, Path outputDir, PrintStream console) throws IOException {
        Files.createDirectories(outputDir);
        Path json = outputDir.resolve(JSON_FILE);
        Path html = outputDir.resolve(HTML_FILE);
        ConformanceJson.write(matrix, json);
        ConformanceHtml.write(matrix, html);
        VerdictJunitXml.write(matrix, outputDir.resolve(JUNIT_FILE));
        ConsoleSummary.print(matrix, html, json, console);
    }
}
