package org.virtiotck.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.virtiotck.fuzz.CampaignSummary;
import org.virtiotck.fuzz.FuzzHook;
import org.virtiotck.fuzz.TargetFuzz;
import org.virtiotck.fuzz.VariantFuzz;
import org.virtiotck.harness.junit.ProbeExtension;
import org.virtiotck.harness.junit.Reproducer;
import org.virtiotck.harness.target.KnownDeviations;
import org.virtiotck.harness.target.TargetException;
import org.virtiotck.harness.target.TargetSpec;
import org.virtiotck.reports.ReportFormat;
import org.virtiotck.reports.ReportSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar virtio-tck.jar --target ...}: the probes and the short fuzz run of {@code mvn verify}, without
 * Maven, through the JUnit Platform launcher, with the same reports, console summary and exit status (1 when a
 * probe is FAIL or WEDGED or the fuzz run found something, 2 for bad arguments, 0 otherwise).
 */
@Command(name = "virtio-tck", mixinStandardHelpOptions = true, version = "virtio-tck 0.1.0",
        description = "Runs the VIRTIO conformance probes, then a short fuzz run, against a device.")
public final class VirtioTck implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;
    /** The fuzz run's cases per target variant; the same default as {@code mvn verify}. */
    static final int DEFAULT_FUZZ_TRIES = 30;
    /** The property TargetFuzz reads its cases per variant from, as the fuzz module's pom passes it. */
    static final String FUZZ_TRIES_PROPERTY = "fuzz.tries";

    @Option(names = "--target", paramLabel = "TARGET",
            description = "the device: inproc[:<device>], vhost-user:/path.sock?device=blk, qemu[:<device>], with options")
    String target;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "report files: html, json, junit (default: all)")
    List<ReportFormat> formats;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "virtio-tck-report",
            description = "report directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--list", description = "print the probes with their clauses, one per line, and run nothing")
    boolean list;

    @Option(names = "--only", split = ",", paramLabel = "SELECTOR",
            description = "run only these: clause section (5.2.6), probe class (BlkIoProbes), probe (Class#method), fuzz")
    List<String> only;

    @Option(names = "--strict", description = "a broken SHOULD clause fails the run as a broken MUST clause does")
    boolean strict;

    @Option(names = "--known-deviations", paramLabel = "FILE", description = "the back-end's explained deviations")
    String knownDeviations;

    @Option(names = "--fuzz-tries", paramLabel = "N", defaultValue = "" + DEFAULT_FUZZ_TRIES,
            description = "fuzz cases per target variant (default: ${DEFAULT-VALUE})")
    int fuzzTries;

    @Option(names = "--seed", paramLabel = "N", description = "fuzz seed (default: a fresh one, printed)")
    Long seed;

    @Option(names = "--no-fuzz", description = "run the probes only")
    boolean noFuzz;

    @Spec
    CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream stderr;

    private VirtioTck(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns its exit status; what it prints goes to {@code out} and {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line = new CommandLine(new VirtioTck(out, err));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setParameterExceptionHandler((e, given) -> {
            err.println("virtio-tck: " + e.getMessage().strip() + ". Usage: " + synopsis(e.getCommandLine()));
            return USAGE;
        });
        return line.execute(args);
    }

    /** The usage synopsis on one line: the accepted forms, for the one-line error. */
    private static String synopsis(CommandLine line) {
        return line.getHelp().synopsis(0).replaceAll("\\s+", " ").strip();
    }

    @Override
    public Integer call() {
        if (!list && (target == null || target.isBlank())) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--target=TARGET' (or --list)");
        }
        if (fuzzTries < 1) {
            throw new ParameterException(spec.commandLine(), "--fuzz-tries " + fuzzTries + " is not a positive integer");
        }
        int variants = 0;
        try {
            if (!list) {
                variants = TargetSpec.parse(target).variants().size();
                KnownDeviations.load(knownDeviations);
            }
        } catch (TargetException e) {
            stderr.println("virtio-tck: " + e.getMessage());
            return USAGE;
        }
        Selection selection = Selection.of(only);
        Launcher launcher = LauncherFactory.create();
        List<ProbeEntry> probes = ProbeDiscovery.list(launcher, selection);
        List<String> unmatched = selection.unmatched(probes);
        if (!unmatched.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--only " + String.join(",", unmatched)
                    + " selects no probe; accepted: " + Selection.ACCEPTED);
        }
        if (list) {
            probes.stream().sorted(ProbeEntry.BY_SECTION).forEach(p -> stdout.println(p.listLine()));
            return 0;
        }
        stderr.println("virtio-tck: target " + target.strip() + " (" + variants + " variant(s))");
        return run(launcher, selection, probes.size());
    }

    private int run(Launcher launcher, Selection selection, int probeCount) {
        Path dir = out.toAbsolutePath().normalize();
        try {
            // jqwik's engine fails the whole run when its database's directory is missing.
            Files.createDirectories(dir);
        } catch (IOException e) {
            stderr.println("virtio-tck: cannot create the report directory " + dir + ": " + e);
            return USAGE;
        }
        try (SystemProperties properties = settings(dir)) {
            int failures = 0;
            if (selection.anyProbe()) {
                stderr.println("virtio-tck: " + probeCount + " probe(s), report in " + dir);
                failures += execute(launcher, "probes", ProbeDiscovery.request(selection, jqwik(dir)));
            }
            if (selection.fuzz() && !noFuzz) {
                failures += execute(launcher, "fuzz", LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(TargetFuzz.class)).configurationParameters(jqwik(dir)).build());
            }
            return failures > 0 ? FAILED : 0;
        }
    }

    /** jqwik's engine takes part in every run and keeps its database in the report directory, not the working one. */
    private static Map<String, String> jqwik(Path dir) {
        return Map.of("jqwik.database", dir.resolve("jqwik-database").toString());
    }

    /** Runs one part and returns its failures, with a progress line on stderr every few seconds. */
    private int execute(Launcher launcher, String part, LauncherDiscoveryRequest request) {
        RunTally tally = new RunTally(stderr);
        try (Progress progress = new Progress(part, tally, stderr, Progress.EVERY)) {
            launcher.execute(request, tally);
        }
        return tally.failures();
    }

    /** What Maven passes the probes, the report listener and the fuzz run as system properties. */
    private SystemProperties settings(Path dir) {
        String formatList = (formats == null || formats.isEmpty() ? EnumSet.allOf(ReportFormat.class) : EnumSet.copyOf(formats))
                .stream().map(ReportFormat::lowerName).collect(Collectors.joining(","));
        return new SystemProperties()
                .set(ProbeExtension.TARGET_PARAMETER, target.strip())
                // The probes' extension and the report listener read strict mode from the same property.
                .set(ReportSettings.STRICT_PROPERTY, Boolean.toString(strict))
                .set(KnownDeviations.PARAMETER, knownDeviations == null ? "" : knownDeviations)
                .set(ReportSettings.OUT_PROPERTY, dir.toString())
                .set(ReportSettings.FORMATS_PROPERTY, formatList)
                .set(Reproducer.JAR_PROPERTY, JarName.ofThisJar())
                .set(FUZZ_TRIES_PROPERTY, Integer.toString(fuzzTries))
                .set(FuzzHook.SEED_PROPERTY, seed == null ? "" : seed.toString())
                .set(FuzzHook.DIRECTORY_PROPERTY, dir.resolve("regressions").toString())
                .set(CampaignSummary.FILE_PROPERTY, dir.resolve("fuzz-summary.json").toString())
                .set(VariantFuzz.DATABASE_PROPERTY, dir.resolve("jqwik-database").toString());
    }
}
