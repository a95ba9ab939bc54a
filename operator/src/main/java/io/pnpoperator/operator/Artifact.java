package io.pnpoperator.operator;

import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * An artifact a profile names: the image under images/, or a file under files/, with the MD5 the spec
 * gives (empty: none) and the URL to download it from (null: a person puts it on the volume).
 */
record Artifact(String folder, String file, String md5, String url) {

    static List<Artifact> of(PnpProfileSpec spec) {
        List<Artifact> artifacts = new ArrayList<>();
        for (Image image : spec.allImages()) {
            artifacts.add(new Artifact("images", image.file(), orEmpty(image.md5()), image.url()));
        }
        for (ArtifactFile file : spec.files() == null ? List.<ArtifactFile>of() : spec.files()) {
            artifacts.add(new Artifact("files", file.name(), "", file.url()));
        }
        return artifacts;
    }

    /** Its path on the volume, as messages name it. */
    String path() {
        return folder + "/" + file;
    }

    boolean downloaded() {
        return url != null && !url.isBlank();
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
