package org.virtiotck.reports.allure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The Allure results directory: one {@code <uuid>-result.json} per test, attachments beside them as
 * {@code <uuid>-attachment.txt}, and the run's {@code categories.json} and {@code environment.properties}.
 */
public final class AllureResultsDir implements ProbeResults.Attachments {
    /** Results are written compact: a full run writes thousands, and indenting doubles their size. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RESULT = "-result.json";
    private static final String ATTACHMENT = "-attachment.txt";

    /** How Allure groups the problems: by verdict, which the status and the message carry. */
    private static final List<Map<String, Object>> CATEGORIES = List.of(
            Map.of("name", "Clause broken (FAIL)", "matchedStatuses", List.of(AllureResult.FAILED)),
            Map.of("name", "Device wedged (WEDGED)", "matchedStatuses", List.of(AllureResult.BROKEN)),
            Map.of("name", "Known deviations (KNOWN)", "matchedStatuses", List.of(AllureResult.SKIPPED),
                    "messageRegex", "(?s)(known deviation|KNOWN).*"));

    private final Path dir;
    private volatile boolean created;

    public AllureResultsDir(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    /** Removes the results and attachments of an earlier run, so the report shows this run only. */
    public void clear() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir)) {
            for (Path p : old) {
                String n = p.getFileName().toString();
                if (n.endsWith(RESULT) || n.endsWith(ATTACHMENT) || n.equals("categories.json")
                        || n.equals("environment.properties")) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path write(AllureResult result) {
        Path file = dir.resolve(result.uuid() + RESULT);
        try {
            create();
            Files.write(file, MAPPER.writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public AllureResult.Attachment text(String name, String content) {
        String source = UUID.randomUUID() + ATTACHMENT;
        try {
            create();
            Files.writeString(dir.resolve(source), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AllureResult.Attachment(name, source, "text/plain");
    }

    /** categories.json, and environment.properties with {@code environment} (sorted by key). */
    public void writeRunFiles(Map<String, String> environment) {
        try {
            create();
            INDENTED.writeValue(dir.resolve("categories.json").toFile(), CATEGORIES);
            String props = environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + escape(e.getValue())).collect(Collectors.joining("\n", "", "\n"));
            Files.writeString(dir.resolve("environment.properties"), props, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void create() throws IOException {
        if (!created) {
            Files.createDirectories(dir);
            created = true;
        }
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
