package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.profile.MatchRules;
import io.pnpoperator.crds.profile.PnpProfile;
import java.util.List;
import java.util.Optional;

/**
 * The profile a router gets when nobody named one for it: in register mode the PnpProfile whose {@code spec.match}
 * gives it the highest priority, else the default profile; in reject mode none (a person claims each router). Read
 * from the profiles' informer: no API call.
 */
public final class ProfileRules {

    private final SharedIndexInformer<PnpProfile> profiles;
    private final String namespace;
    private final Optional<String> defaultProfile;

    /** @param defaultProfile the profile of routers no rule matches in register mode; empty in reject mode */
    public ProfileRules(SharedIndexInformer<PnpProfile> profiles, String namespace, Optional<String> defaultProfile) {
        this.profiles = profiles;
        this.namespace = namespace;
        this.defaultProfile = defaultProfile;
    }

    /** The profile for this router; none, with the two names, when two rules match it at the same priority. */
    public MatchRules.Choice choose(String serial, String pid) {
        if (defaultProfile.isEmpty()) {
            return new MatchRules.Choice(Optional.empty(), Optional.empty());
        }
        List<MatchRules.Rule> rules = profiles.getStore().list().stream()
                .filter(p -> namespace.equals(p.getMetadata().getNamespace()) && p.getSpec() != null)
                .map(p -> new MatchRules.Rule(p.getMetadata().getName(), p.getSpec().match())).toList();
        MatchRules.Choice choice = MatchRules.choose(rules, pid, serial);
        return choice.tie().isPresent() || choice.profile().isPresent() ? choice
                : new MatchRules.Choice(defaultProfile, Optional.empty());
    }
}
