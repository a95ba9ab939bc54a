package io.pnpoperator.apiserver;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.stream.Stream;

/**
 * A test double of the Kubernetes API server, for tests that claim "as a cluster would". It is fabric8's mock
 * server in CRUD mode (objects kept in memory, watches, resourceVersions) behind a {@link StrictDispatcher} that
 * refuses and answers for custom resources what a real API server does: schema and CEL validation with the API
 * server's 422, status subresource semantics whatever the query string, 409 on a stale resourceVersion, 422 on a
 * failed JSON Patch test, discovery and server-side Table output, so the real kubectl works against it.
 *
 * <p>What it does not do is listed in docs/contributing.md: no RBAC (access reviews say yes to everything), no
 * admission webhooks, no server-side apply, no garbage collection of owned objects, no defaults from schemas.
 */
public final class StrictApiServer extends KubernetesMockServer {

    private final StrictDispatcher dispatcher;

    private StrictApiServer(Map<ServerRequest, Queue<ServerResponse>> responses, StrictDispatcher dispatcher) {
        super(new Context(), new MockWebServer(), responses, dispatcher, false);
        this.dispatcher = dispatcher;
    }

    /** A server on a free loopback port, plain HTTP. */
    public static StrictApiServer running() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        StrictApiServer server = new StrictApiServer(responses, new StrictDispatcher(responses));
        server.init();
        return server;
    }

    /** Creates every CRD in {@code folder} (the project's committed {@code crds/}), as kubectl apply would. */
    public void installCrds(KubernetesClient client, Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList()) {
                client.apiextensions().v1().customResourceDefinitions().resource(client.getKubernetesSerialization()
                        .unmarshal(Files.readString(file), CustomResourceDefinition.class)).createOr(c -> c.update());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The custom resource kinds this server knows, from the CRDs created on it. */
    public List<String> kinds() {
        return dispatcher.resources().kinds();
    }

    /** A kubeconfig file for kubectl, pointing at this server with namespace {@code namespace}. */
    public Path kubeconfig(Path file, String namespace) {
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: strict
                  cluster:
                    server: %s
                contexts:
                - name: strict
                  context:
                    cluster: strict
                    namespace: %s
                    user: tester
                current-context: strict
                users:
                - name: tester
                  user:
                    token: test-token
                """.formatted(url("/").replaceAll("/$", ""), namespace);
        try {
            return Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
