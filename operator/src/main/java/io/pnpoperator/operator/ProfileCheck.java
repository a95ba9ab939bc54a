package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pnpoperator.crds.profile.PnpProfile;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile found a profile to be, before anything is written: the spec's own problems, each artifact
 * on the volume (and the downloads it needs), and the ConfigMap holding its template. The reconciler finds it,
 * the dependents read it from the context to say what they want, and the status is made of it.
 *
 * @param configSource  the ConfigMap the spec names, when there is one
 * @param configProblem what is wrong with the config, as its ConfigReady condition says
 */
record ProfileCheck(List<String> specProblems, ArtifactChecks.Result artifacts, Optional<ConfigMap> configSource,
                    Optional<String> configProblem) {

    boolean specValid() {
        return specProblems.isEmpty();
    }

    /** A profile is published (its own ConfigMap) once its spec is valid and its template is found. */
    boolean publishable() {
        return specValid() && configProblem.isEmpty();
    }

    boolean ready() {
        return publishable() && artifacts.problems().isEmpty();
    }

    /** Hands the check to the dependents of this reconcile. */
    void into(Context<PnpProfile> context) {
        context.managedWorkflowAndDependentResourceContext().put(ProfileCheck.class, this);
    }

    static ProfileCheck of(Context<PnpProfile> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(ProfileCheck.class, ProfileCheck.class);
    }
}
