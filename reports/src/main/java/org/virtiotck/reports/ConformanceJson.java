package org.virtiotck.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/** Reads and writes conformance.json: the {@link ConformanceMatrix} as is, pretty-printed, null fields left out. */
public final class ConformanceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            // Files from a newer tool version should still merge.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConformanceJson() {
    }

    public static void write(ConformanceMatrix matrix, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), matrix);
    }

    public static ConformanceMatrix read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), ConformanceMatrix.class);
    }
}
