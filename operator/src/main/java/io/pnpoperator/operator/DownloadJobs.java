package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.pnpoperator.crds.profile.PnpProfile;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A download Job for each artifact of a profile that must come from its URL ({@link ProfileCheck}), as a bulk
 * dependent: java-operator-sdk creates the Jobs wanted and deletes the others (a URL no longer wanted, a file now
 * in place). A Job is never updated: its name says what it downloads, so another download is another Job.
 */
final class DownloadJobs extends KubernetesDependentResource<Job, PnpProfile>
        implements Creator<Job, PnpProfile>, GarbageCollected<PnpProfile>, BulkDependentResource<Job, PnpProfile, String> {

    private final ArtifactFetch fetch;

    DownloadJobs(ArtifactFetch fetch) {
        super(Job.class);
        this.fetch = fetch;
    }

    @Override
    public Map<String, Job> desiredResources(PnpProfile profile, Context<PnpProfile> context) {
        return ProfileCheck.of(context).artifacts().downloads().stream().map(a -> fetch.job(profile, a))
                .collect(Collectors.toMap(j -> j.getMetadata().getName(), Function.identity()));
    }

    @Override
    public Map<String, Job> getSecondaryResources(PnpProfile profile, Context<PnpProfile> context) {
        return context.getSecondaryResources(Job.class).stream()
                .collect(Collectors.toMap(j -> j.getMetadata().getName(), Function.identity()));
    }

    @Override
    public void deleteTargetResource(PnpProfile profile, Job job, String name, Context<PnpProfile> context) {
        context.getClient().resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    @Override
    public Matcher.Result<Job> match(Job actual, Job desired, PnpProfile profile, Context<PnpProfile> context) {
        return Matcher.Result.computed(true, actual);
    }
}
