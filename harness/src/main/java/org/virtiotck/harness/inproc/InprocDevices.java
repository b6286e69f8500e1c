package org.virtiotck.harness.inproc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The registered {@link InprocDeviceProvider}s, found with {@link ServiceLoader}. */
public final class InprocDevices {

    private InprocDevices() {
    }

    /**
     * Every provider, sorted by name.
     *
     * @throws IllegalStateException when two providers claim the same name, which would make target
     *         strings ambiguous
     */
    public static List<InprocDeviceProvider> all() {
        List<InprocDeviceProvider> providers = new ArrayList<>();
        ServiceLoader.load(InprocDeviceProvider.class).forEach(providers::add);
        providers.sort(Comparator.comparing(InprocDeviceProvider::name));
        for (int i = 1; i < providers.size(); i++) {
            if (providers.get(i).name().equals(providers.get(i - 1).name())) {
                throw new IllegalStateException("two in-process device providers are named \""
                        + providers.get(i).name() + "\": " + providers.get(i - 1).getClass().getName()
                        + " and " + providers.get(i).getClass().getName());
            }
        }
        return List.copyOf(providers);
    }

    public static Optional<InprocDeviceProvider> byName(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
