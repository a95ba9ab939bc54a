package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The mock API server made ready for the operator: the project's committed CRDs, and what the mock lacks. */
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

    /**
     * A client for the operator under test. The mock server answers a JSON Patch whose {@code test} fails
     * by not answering at all (a real API server answers 422 at once), so the operator's client gives up
     * on a request after 300 ms instead of the default 10 s, and does not send it again (the client's own
     * retries are for a server that failed, not one that refused): a refused write then reaches the
     * reconciler as promptly as in a cluster.
     */
    static KubernetesClient operatorClient(KubernetesClient client) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestTimeout(300).withRequestRetryBackoffLimit(0).build()).build();
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
