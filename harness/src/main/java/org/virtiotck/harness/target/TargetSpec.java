package org.virtiotck.harness.target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.virtiotck.driver.feature.FeaturePolicy;
import org.virtiotck.driver.feature.DeviceType;
import org.virtiotck.harness.inproc.InprocDeviceProvider;
import org.virtiotck.harness.inproc.InprocDevices;
import org.virtiotck.harness.qemu.QemuContainers;
import org.virtiotck.harness.vhostuser.VhostUserEndpoint;

/**
 * Parses {@code -Dtarget=}: {@code inproc} (every in-process reference device) or {@code inproc:<device>},
 * optionally followed by {@code ?transport=mmio|pci|both&ring=split|packed|both&features=+EVENT_IDX,-INDIRECT_DESC
 * &timeout=5s}; or {@code vhost-user:/path.sock?device=blk} with the same ring, features and timeout options; or
 * {@code qemu} / {@code qemu:<device>} (QEMU's own device models) with the same options as inproc, and
 * {@code qemu-container[:<device>]} with those and {@code image=} (QEMU in a container).
 * Left out, transport and ring mean both. Every problem is reported as a {@link TargetException} whose message
 * is one line ending in the accepted forms; a vhost-user socket that is missing or refuses is one of them.
 */
public final class TargetSpec {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT = "inproc";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /** The devices a {@code qemu} target can start QEMU with, in the order {@code qemu} alone runs them. */
    public static final List<DeviceType> QEMU_DEVICES = List.of(DeviceType.BLK, DeviceType.NET, DeviceType.CONSOLE, DeviceType.RNG);

    private final List<TargetVariant> variants;

    private TargetSpec(List<TargetVariant> variants) {
        this.variants = List.copyOf(variants);
    }

    public List<TargetVariant> variants() {
        return variants;
    }

    public static TargetSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw bad("empty target");
        }
        String target = text.strip();
        int q = target.indexOf('?');
        String head = q < 0 ? target : target.substring(0, q);
        Map<String, String> options = q < 0 ? new LinkedHashMap<>() : options(target.substring(q + 1));
        int colon = head.indexOf(':');
        String kind = colon < 0 ? head : head.substring(0, colon);
        if (kind.equals(TargetVariant.VHOST_USER)) {
            return vhostUser(colon < 0 ? "" : head.substring(colon + 1), options);
        }
        if (kind.equals(TargetVariant.QEMU) || kind.equals(TargetVariant.QEMU_CONTAINER)) {
            return qemu(kind, colon < 0 ? null : head.substring(colon + 1), options);
        }
        if (!kind.equals("inproc")) {
            throw bad("unknown target kind '" + kind + "' in '" + target + "'");
        }
        List<InprocDeviceProvider> devices = new ArrayList<>();
        if (colon < 0) {
            InprocDevices.all().stream().filter(InprocDeviceProvider::reference).forEach(devices::add);
        } else {
            String device = head.substring(colon + 1);
            devices.add(InprocDevices.byName(device).orElseThrow(() -> bad("no in-process device '" + device + "'")));
        }
        List<String> transports = choice(options, "transport", List.of("mmio", "pci"));
        List<String> rings = choice(options, "ring", List.of("split", "packed"));
        String featureText = options.remove("features");
        Duration timeout = timeout(options.remove("timeout"));
        if (!options.isEmpty()) {
            throw bad("unknown option '" + options.keySet().iterator().next() + "'");
        }
        List<TargetVariant> variants = new ArrayList<>();
        for (InprocDeviceProvider device : devices) {
            FeaturePolicy features = features(featureText, device.type(), devices.size() == 1);
            for (String transport : transports) {
                for (String ring : rings) {
                    variants.add(new TargetVariant(kind, device.name(), device.type(), transport, ring, features,
                            timeout));
                }
            }
        }
        return new TargetSpec(variants);
    }

    /**
     * One device behind a vhost-user socket. The device type must be named: a back-end's features rarely say which
     * device it is (blk and net share most bit numbers). The socket must accept a connection now, so a wrong path
     * costs one line instead of a run of failed probes.
     */
    private static TargetSpec vhostUser(String path, Map<String, String> options) {
        if (path.isEmpty()) {
            throw bad("vhost-user needs a socket path, as in vhost-user:/path/to.sock?device=blk");
        }
        String device = options.remove("device");
        String devices = Arrays.stream(DeviceType.values()).map(DeviceType::lowerName).collect(Collectors.joining("|"));
        if (device == null) {
            throw bad("vhost-user:" + path + " needs device=" + devices + ": a vhost-user socket does not say which device it serves");
        }
        DeviceType type = Arrays.stream(DeviceType.values()).filter(t -> t.lowerName().equals(device)).findFirst()
                .orElseThrow(() -> bad("device '" + device + "' is not one of " + devices));
        if (options.containsKey("transport")) {
            throw bad("option 'transport' does not apply to vhost-user (the socket is the transport)");
        }
        List<String> rings = choice(options, "ring", List.of("split", "packed"));
        FeaturePolicy features = features(options.remove("features"), type, true);
        Duration timeout = timeout(options.remove("timeout"));
        String image = image(options.remove("image"), type);
        if (!options.isEmpty()) {
            throw bad("unknown option '" + options.keySet().iterator().next() + "'");
        }
        VhostUserEndpoint.problem(Path.of(path)).ifPresent(problem -> {
            throw bad(problem);
        });
        List<TargetVariant> variants = new ArrayList<>();
        for (String ring : rings) {
            variants.add(new TargetVariant(TargetVariant.VHOST_USER, type.lowerName(), type, TargetVariant.VHOST_USER,
                    ring, features, timeout, path, image));
        }
        return new TargetSpec(variants);
    }

    /**
     * QEMU's own device models, one QEMU per session: {@code qemu} alone is every device this harness can set up
     * in QEMU, {@code qemu:<device>} one of them, with the transport, ring, features and timeout options.
     * {@code qemu-container} is the same with QEMU in a container of {@code image=} (default
     * {@value QemuContainers#DEFAULT_IMAGE}), which the Docker engine must hold now.
     */
    private static TargetSpec qemu(String kind, String device, Map<String, String> options) {
        List<DeviceType> types = new ArrayList<>();
        if (device == null) {
            types.addAll(QEMU_DEVICES);
        } else {
            types.add(QEMU_DEVICES.stream().filter(t -> t.lowerName().equals(device)).findFirst()
                    .orElseThrow(() -> bad("no QEMU device '" + device + "' (this harness sets up "
                            + QEMU_DEVICES.stream().map(DeviceType::lowerName).collect(Collectors.joining("|")) + ")")));
        }
        List<String> transports = choice(options, "transport", List.of("mmio", "pci"));
        List<String> rings = choice(options, "ring", List.of("split", "packed"));
        String featureText = options.remove("features");
        Duration timeout = timeout(options.remove("timeout"));
        String image = kind.equals(TargetVariant.QEMU_CONTAINER)
                ? Objects.requireNonNullElse(options.remove("image"), QemuContainers.DEFAULT_IMAGE) : "";
        if (!options.isEmpty()) {
            throw bad("unknown option '" + options.keySet().iterator().next() + "'");
        }
        if (!image.isEmpty()) {
            QemuContainers.problem(image).ifPresent(problem -> {
                throw bad(problem);
            });
        }
        List<TargetVariant> variants = new ArrayList<>();
        for (DeviceType type : types) {
            FeaturePolicy features = features(featureText, type, types.size() == 1);
            for (String transport : transports) {
                for (String ring : rings) {
                    variants.add(new TargetVariant(kind, type.lowerName(), type, transport, ring, features,
                            timeout, image, ""));
                }
            }
        }
        return new TargetSpec(variants);
    }

    /** The disk image behind a vhost-user blk back-end: a regular file the harness can read and write, or none. */
    private static String image(String value, DeviceType type) {
        if (value == null) {
            return "";
        }
        if (type != DeviceType.BLK) {
            throw bad("option 'image' applies to device=blk only");
        }
        Path file = Path.of(value);
        if (!Files.isRegularFile(file) || !Files.isReadable(file) || !Files.isWritable(file)) {
            throw bad("image '" + value + "' is not a regular file this user can read and write");
        }
        return value;
    }

    private static Map<String, String> options(String query) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw bad("option '" + pair + "' is not name=value");
            }
            if (options.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
                throw bad("option '" + pair.substring(0, eq) + "' given twice");
            }
        }
        return options;
    }

    /** One of {@code values}, or "both" (or nothing) for all of them. */
    private static List<String> choice(Map<String, String> options, String name, List<String> values) {
        String value = options.remove(name);
        if (value == null || value.equals("both")) {
            return values;
        }
        if (!values.contains(value)) {
            throw bad(name + " '" + value + "' is not one of " + String.join("|", values) + "|both");
        }
        return List.of(value);
    }

    /**
     * The policy for one device type. A device-specific feature of another type is an error when the target names
     * one device, and applies only to its own type when the target covers several.
     */
    private static FeaturePolicy features(String value, DeviceType type, boolean singleDevice) {
        if (value == null) {
            return FeaturePolicy.NONE;
        }
        try {
            return FeatureOption.parse(value, type, singleDevice);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static Duration timeout(String value) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw bad("timeout '" + value + "' is not a duration like 500ms, 5s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
            throw bad("timeout '" + value + "' is outside 1ms..60m");
        }
        return d;
    }

    private static TargetException bad(String problem) {
        return new TargetException("bad target: " + problem + ". Accepted: " + acceptedForms());
    }

    /** The forms this build accepts, naming the in-process devices it has. */
    public static String acceptedForms() {
        String devices = InprocDevices.all().stream().filter(InprocDeviceProvider::reference)
                .map(InprocDeviceProvider::name).collect(Collectors.joining("|"));
        return "inproc (all in-process devices) or inproc:<" + devices + ">, with options "
                + "?transport=mmio|pci|both&ring=split|packed|both&features=+EVENT_IDX,-INDIRECT_DESC&timeout=5s; "
                + "or vhost-user:/path.sock?device=blk|net|console|rng with the ring, features and timeout options "
                + "(and image=/path/disk.img, the back-end's disk file, for device=blk); "
                + "or qemu (all QEMU devices) or qemu:<" + QEMU_DEVICES.stream().map(DeviceType::lowerName)
                        .collect(Collectors.joining("|")) + "> with the inproc options; "
                + "or qemu-container[:<device>] with the qemu options and image=<docker image with "
                + "qemu-system-aarch64> (default " + QemuContainers.DEFAULT_IMAGE + ")";
    }
}
