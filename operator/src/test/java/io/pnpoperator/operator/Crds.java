package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's committed CRDs, created in the mock API server so status behaves as in a cluster. */
final class Crds {

    private Crds() {
    }

    static void install(KubernetesClient client) {
        for (String crd : new String[] {"pnpdevices.pnp.pnpoperator.io-v1.yml", "pnpprofiles.pnp.pnpoperator.io-v1.yml"}) {
            try {
                client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization()
                        .unmarshal(Files.readString(Path.of("../crds").resolve(crd)), CustomResourceDefinition.class))
                        .create();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
