package io.pnpoperator.operator;

import io.pnpoperator.crds.PnpApi;

/**
 * Placeholder of the operator module until its reconcilers arrive: it records the one fact the
 * operator already has, which API group it watches, taken from the crds module.
 */
public final class WatchedApi {

    private WatchedApi() {
    }

    public static String group() {
        return PnpApi.GROUP;
    }
}
