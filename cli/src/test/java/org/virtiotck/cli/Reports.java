package org.virtiotck.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.virtiotck.reports.ConformanceJson;
import org.virtiotck.reports.ConformanceReport;
import org.virtiotck.reports.ProbeRun;

/** The probe runs a command-line run wrote to its conformance.json. */
final class Reports {
    private Reports() {
    }

    static List<ProbeRun> runs(Path out) throws IOException {
        return ConformanceJson.read(out.resolve(ConformanceReport.JSON_FILE)).clauses().stream()
                .flatMap(c -> c.probes().stream()).toList();
    }
}
