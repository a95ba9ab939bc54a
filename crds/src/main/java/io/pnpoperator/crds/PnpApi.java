package io.pnpoperator.crds;

/** The API group and version of the project's custom resources, chosen once and kept. */
public final class PnpApi {
    public static final String GROUP = "pnp.pnpoperator.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /**
     * The revision of the CRDs' schema, raised with every change of it (CrdYamlTest fails until it is), and written
     * on each CRD as {@link #SCHEMA_REVISION_ANNOTATION}: an operator replaces a cluster's CRD only with a later
     * revision, so releases running side by side never take the schema back.
     */
    public static final int SCHEMA_REVISION = 1;
    public static final String SCHEMA_REVISION_ANNOTATION = GROUP + "/schema-revision";

    private PnpApi() {
    }
}
