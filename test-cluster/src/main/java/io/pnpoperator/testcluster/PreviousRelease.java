package io.pnpoperator.testcluster;

import java.nio.file.Path;

/**
 * The previous release's programs ({@code pnp-endpoint.jar}, {@code pnp-operator.jar}), as
 * {@code tools/previous-release/build} makes them from this repository's history (or finds them made): what an
 * upgrade replaces, for the tests of one.
 */
public final class PreviousRelease {

    private PreviousRelease() {
    }

    /** The folder of the previous release's jars. */
    public static Path jars() {
        return Binaries.folderPrintedBy("tools/previous-release/build", 1800);
    }
}
