package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.pnpoperator.crds.profile.PnpProfile;

/**
 * The profile's own ConfigMap, {@code pnpprofile-<name>}, as a dependent: what it should say comes from this
 * reconcile's {@link ProfileCheck} ({@link PublishedProfile#of}); java-operator-sdk creates it, updates it when
 * it says something else, and deletes it when the profile cannot be published (its workflow precondition).
 */
final class PublishedConfigMap extends CRUDKubernetesDependentResource<ConfigMap, PnpProfile> {

    PublishedConfigMap() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(PnpProfile profile, Context<PnpProfile> context) {
        ProfileCheck check = ProfileCheck.of(context);
        return PublishedProfile.of(profile, check.artifacts().artifacts(), check.configSource().orElse(null),
                context.getClient().getKubernetesSerialization());
    }

    @Override
    public Matcher.Result<ConfigMap> match(ConfigMap actual, ConfigMap desired, PnpProfile profile,
                                           Context<PnpProfile> context) {
        return Matcher.Result.computed(PublishedProfile.same(actual, desired), desired);
    }
}
