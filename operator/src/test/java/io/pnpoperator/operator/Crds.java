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

    /**
     * The operator's leader election first asks the API server what it may do (a SelfSubjectRulesReview);
     * the mock server cannot answer that, so it is told to answer "everything", as a cluster-admin would get.
     */
    static void allowLeaderElection(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                        .withNewStatus().addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*")
                        .endResourceRule().withIncomplete(false).endStatus().build()).always();
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
