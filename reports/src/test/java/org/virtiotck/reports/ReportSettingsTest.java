package org.virtiotck.reports;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ReportSettingsTest {
    private String savedOut;
    private String savedStrict;

    @BeforeEach
    void save() {
        savedOut = System.getProperty(ReportSettings.OUT_PROPERTY);
        savedStrict = System.getProperty(ReportSettings.STRICT_PROPERTY);
        System.clearProperty(ReportSettings.OUT_PROPERTY);
        System.clearProperty(ReportSettings.STRICT_PROPERTY);
    }

    @AfterEach
    void restore() {
        set(ReportSettings.OUT_PROPERTY, savedOut);
        set(ReportSettings.STRICT_PROPERTY, savedStrict);
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void defaultsToTargetDirectoryAndLenient() {
        ReportSettings settings = ReportSettings.fromSystemProperties();
        assertEquals(Path.of("target/virtio-tck").toAbsolutePath(), settings.outputDir());
        assertFalse(settings.strict());
    }

    @ParameterizedTest
    @CsvSource(value = {"true,true", "'',true", "false,false", "yes,false"})
    void strictIsTrueOrBareFlag(String value, boolean strict) {
        System.setProperty(ReportSettings.STRICT_PROPERTY, value);
        assertEquals(strict, ReportSettings.fromSystemProperties().strict());
    }
}
