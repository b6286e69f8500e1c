package org.virtiotck.reports;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The files a run can write; Maven writes all of them, the command line may ask for fewer. */
public enum ReportFormat {
    HTML(ConformanceReport.HTML_FILE),
    JSON(ConformanceReport.JSON_FILE),
    JUNIT(ConformanceReport.JUNIT_FILE);

    private final String file;

    ReportFormat(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    /** The lower-case name a user types: html, json, junit. */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The accepted names, for one-line error messages. */
    public static String accepted() {
        return Arrays.stream(values()).map(ReportFormat::lowerName).collect(Collectors.joining(", "));
    }

    /** One name, case-insensitive; an unknown one is an {@link IllegalArgumentException} naming the accepted ones. */
    public static ReportFormat parse(String name) {
        String n = name == null ? "" : name.strip();
        return Arrays.stream(values()).filter(f -> f.name().equalsIgnoreCase(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + n + "' is not a report format; accepted: " + accepted()));
    }

    /** A comma list such as "html,json"; blank means every format. */
    public static Set<ReportFormat> parseList(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(ReportFormat.class);
        }
        Set<ReportFormat> formats = EnumSet.noneOf(ReportFormat.class);
        Arrays.stream(list.split(",")).map(ReportFormat::parse).forEach(formats::add);
        return formats;
    }
}
