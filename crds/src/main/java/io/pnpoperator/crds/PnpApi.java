package io.pnpoperator.crds;

/** The API group and version of the project's custom resources, chosen once and kept. */
public final class PnpApi {
    public static final String GROUP = "pnp.pnpoperator.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private PnpApi() {
    }
}
