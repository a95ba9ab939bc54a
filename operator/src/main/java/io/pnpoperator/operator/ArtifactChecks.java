package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether each artifact a profile names is in place on the volume, and for those given by URL that are not,
 * the download each needs and how its Job is doing. Looks only: the Jobs are the {@link DownloadJobs}
 * dependent's to create and delete. What a person must do is said in one sentence an artifact.
 */
final class ArtifactChecks {

    /** The ArtifactsReady reason, ordered by how much a person must do: a profile takes its artifacts' highest. */
    enum Reason { Present, Downloading, Missing, DownloadFailed }

    /** The artifacts as found, what is wrong with them, and the downloads still wanted. */
    record Result(List<ArtifactStatus> artifacts, List<String> problems, Reason reason, List<Artifact> downloads) {
    }

    private record Checked(ArtifactStatus status, Optional<String> problem, Reason reason, Optional<Artifact> download) {
    }

    /** What the checks read of the cluster: the download Jobs by name, and the Pods of a Job. */
    interface Downloads {
        Optional<Job> job(String name);

        List<Pod> pods(String jobName);
    }

    private final ArtifactVolume volume;

    ArtifactChecks(ArtifactVolume volume) {
        this.volume = volume;
    }

    String volumeName() {
        return volume.name();
    }

    Result check(PnpProfile profile, Downloads downloads) throws IOException {
        List<ArtifactStatus> artifacts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Artifact> wanted = new ArrayList<>();
        Reason reason = Reason.Present;
        for (Artifact artifact : Artifact.of(profile.getSpec())) {
            Checked checked = check(profile, artifact, downloads);
            artifacts.add(checked.status());
            checked.problem().ifPresent(problems::add);
            checked.download().ifPresent(wanted::add);
            reason = checked.reason().compareTo(reason) > 0 ? checked.reason() : reason;
        }
        return new Result(List.copyOf(artifacts), List.copyOf(problems), reason, List.copyOf(wanted));
    }

    private Checked check(PnpProfile profile, Artifact artifact, Downloads downloads) throws IOException {
        ArtifactStatus found = volume.look(artifact.folder(), artifact.file());
        boolean md5Matches = artifact.md5().isEmpty() || artifact.md5().equals(found.md5());
        // A file put there by hand is taken when its MD5 is the one asked for; otherwise it must come from the URL.
        boolean fromThisUrl = !artifact.downloaded() || !artifact.md5().isEmpty()
                || volume.source(artifact).filter(artifact.url()::equals).isPresent();
        if (found.present() && md5Matches && fromThisUrl) {
            return new Checked(found, Optional.empty(), Reason.Present, Optional.empty());
        }
        if (!artifact.downloaded()) {
            return new Checked(found, Optional.of(found.present()
                    ? artifact.path() + " has MD5 " + found.md5() + " but spec says " + artifact.md5()
                    : artifact.path() + " not found on volume " + volume.name()), Reason.Missing, Optional.empty());
        }
        String name = ArtifactFetch.jobName(profile, artifact);
        Optional<Job> job = downloads.job(name);
        ArtifactStatus downloading = new ArtifactStatus(found.name(), found.present(), found.size(), found.md5(), name);
        String from = artifact.path() + " from " + artifact.url() + " (Job " + name + ")";
        if (job.filter(j -> hasCondition(j, "Failed")).isPresent()) {
            return new Checked(downloading, Optional.of("download of " + from + " failed: "
                    + failure(job.get(), downloads.pods(name)) + "; fix the URL or the server, then delete Job " + name
                    + " to try again"), Reason.DownloadFailed, Optional.of(artifact));
        }
        if (job.filter(j -> hasCondition(j, "Complete")).isPresent()) {
            return new Checked(downloading, Optional.of("downloaded " + from + ", not yet seen on volume "
                    + volume.name()), Reason.Downloading, Optional.of(artifact));
        }
        String soFar = volume.downloadedSoFar(artifact).stream().mapToObj(b -> ", " + (b >> 20) + " MiB so far")
                .findFirst().orElse("");
        return new Checked(downloading, Optional.of("downloading " + from + soFar), Reason.Downloading,
                Optional.of(artifact));
    }

    /**
     * The failed container's own last words (the last line of its log tail: curl's error, or the MD5 check's), else
     * the Job's reason.
     */
    private static String failure(Job job, List<Pod> pods) {
        Optional<String> said = pods.stream()
                .flatMap(p -> p.getStatus() == null ? Stream.empty() : p.getStatus().getContainerStatuses().stream())
                .map(c -> c.getState() == null || c.getState().getTerminated() == null ? null
                        : c.getState().getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank()).reduce((first, last) -> last)
                .map(m -> m.strip().lines().reduce((first, last) -> last).orElseThrow().strip());
        return said.orElseGet(() -> job.getStatus().getConditions().stream().filter(c -> "Failed".equals(c.getType()))
                .map(c -> c.getReason() + ": " + c.getMessage()).findFirst().orElse("the Job failed"));
    }

    private static boolean hasCondition(Job job, String type) {
        return job.getStatus() != null && job.getStatus().getConditions() != null
                && job.getStatus().getConditions().stream().anyMatch(c -> type.equals(c.getType())
                && "True".equals(c.getStatus()));
    }
}
