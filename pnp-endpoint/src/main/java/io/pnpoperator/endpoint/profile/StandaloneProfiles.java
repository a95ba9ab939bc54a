package io.pnpoperator.endpoint.profile;

import io.pnpoperator.crds.profile.MatchRules;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.workflow.Phase;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The standalone server's profiles and which one a router gets: the one whose {@code spec.match} gives it the
 * highest priority, else the first without a rule (a file of one profile without rules provisions every router).
 *
 * @param all the profiles in the order of the file; one catalog of their images and files
 */
public record StandaloneProfiles(List<StandaloneProfile> all) {

    public StandaloneProfiles {
        all = List.copyOf(all);
    }

    /** Everything the profiles name, measured: what routers may download. */
    public ArtifactCatalog catalog() {
        return all.get(0).catalog();
    }

    /** The profile for a router of this serial and PID now, or why it waits. */
    public ProfileSource.Assignment assignment(String serial, String pid) {
        return chosen(serial, pid).map(StandaloneProfile::assignment)
                .orElseGet(() -> new ProfileSource.Held("no profile matches PID " + pid + ", serial " + serial
                        + ": add one whose spec.match takes it, or one without spec.match for every other router",
                        Phase.PENDING));
    }

    private Optional<StandaloneProfile> chosen(String serial, String pid) {
        List<MatchRules.Rule> rules = all.stream().map(p -> new MatchRules.Rule(p.name(), p.spec().match())).toList();
        // Ties cannot happen here: the server does not start with rules that could meet at one priority.
        return MatchRules.choose(rules, pid, serial).profile().flatMap(this::named)
                .or(() -> all.stream().filter(p -> p.spec().match() == null).findFirst());
    }

    private Optional<StandaloneProfile> named(String name) {
        return all.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Day-0 configs from the folder and template of each device's profile.
     *
     * @param profileOf the profile a device was last provisioned with, by serial
     */
    public DayZeroConfigs configs(Function<String, Optional<String>> profileOf) {
        return serial -> profileOf.apply(serial).flatMap(this::named).orElse(all.get(0)).configs().forDevice(serial);
    }
}
