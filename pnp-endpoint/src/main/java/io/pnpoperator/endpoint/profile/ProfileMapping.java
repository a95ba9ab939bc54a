package io.pnpoperator.endpoint.profile;

import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.Guestshell;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.endpoint.workflow.Security;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;

/**
 * A PnpProfile's spec as the workflow's {@link Profile}, the same for the lab's file and a cluster's
 * resource. MD5s come from where each mode measures them: the server at start, or the operator's status.
 */
public final class ProfileMapping {

    private ProfileMapping() {
    }

    /**
     * @param md5         the MD5 of an image or file by name, when known
     * @param credentials the login of {@code spec.credentialsSecret}, read by the caller from where its mode keeps it
     */
    public static Profile toWorkflow(String name, PnpProfileSpec spec, BiFunction<Kind, String, Optional<String>> md5,
                                     Optional<Credentials> credentials) {
        List<ArtifactFile> files = spec.files() == null ? List.of() : spec.files();
        Optional<Profile.Image> image = Optional.ofNullable(spec.image()).map(i -> image(i, md5));
        List<Profile.ForPlatforms> images = Optional.ofNullable(spec.images()).orElse(List.of()).stream()
                .map(p -> new Profile.ForPlatforms(p.platforms(), image(p.image(), md5))).toList();
        Optional<Profile.Guestshell> guestshell = Optional.ofNullable(spec.guestshell())
                .filter(g -> !Boolean.FALSE.equals(g.enabled()))
                .map(g -> new Profile.Guestshell(artifact(g.packageFile(), files, md5), artifact(g.script(), files, md5),
                        Optional.ofNullable(g.eemApplet()).filter(a -> !a.isBlank()),
                        g.minFreeBytes() == null ? 0 : g.minFreeBytes(),
                        Duration.ofSeconds(g.startTimeoutSeconds() == null ? Guestshell.DEFAULT_START_TIMEOUT_SECONDS
                                : g.startTimeoutSeconds())));
        return new Profile(name, Optional.ofNullable(spec.configRegister()).filter(r -> !r.isBlank()), image,
                spec.config() != null, guestshell, credentials, spec.requiresSudi(), images,
                Optional.ofNullable(spec.reappeared()).map(r -> Security.Reappeared.valueOf(r.toUpperCase(Locale.ROOT))),
                Optional.ofNullable(spec.rollout()).map(r -> new Profile.Rollout(r.isPaused(),
                        r.maxConcurrentImageInstalls() == null ? OptionalInt.empty()
                                : OptionalInt.of(r.maxConcurrentImageInstalls()))).orElse(Profile.Rollout.OPEN));
    }

    private static Profile.Image image(Image image, BiFunction<Kind, String, Optional<String>> md5) {
        return new Profile.Image(image.file(), image.version(), md5.apply(Kind.IMAGE, image.file())
                .orElse(image.md5() == null ? "" : image.md5()), !Boolean.FALSE.equals(image.reload()));
    }

    private static Optional<Profile.Artifact> artifact(String name, List<ArtifactFile> files,
                                                       BiFunction<Kind, String, Optional<String>> md5) {
        return Optional.ofNullable(name).filter(n -> !n.isBlank()).flatMap(n -> files.stream()
                .filter(f -> f.name().equals(n)).findFirst()
                .map(f -> new Profile.Artifact(n, f.destination(), md5.apply(Kind.FILE, n))));
    }
}
