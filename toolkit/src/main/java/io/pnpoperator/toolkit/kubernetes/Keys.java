package io.pnpoperator.toolkit.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** The key informers' stores and indexes file a namespaced resource under: {@code namespace/name}. */
public final class Keys {

    private Keys() {
    }

    public static String of(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String of(HasMetadata resource) {
        return of(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }
}
