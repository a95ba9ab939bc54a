package io.pnpoperator.testcluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real Kubernetes control plane, once per test JVM: etcd and kube-apiserver started by fabric8's kube-api-test,
 * kube-controller-manager beside them (garbage collection, namespace deletion, service accounts, Jobs), all from
 * the binaries {@code tools/kube/build} builds. No kubelet and no scheduler: Pods stay Pending.
 *
 * <p>The API server runs as clusters have it: RBAC, the default admission plugins plus
 * OwnerReferencesPermissionEnforcement (OpenShift's default), and an audit log of every request, which
 * {@link AuditLog} reads to count what a program asked of it. Programs started in this JVM find it through the
 * {@code kubeconfig} system property, as they would through {@code KUBECONFIG}: as a cluster administrator.
 */
public final class ControlPlane {

    private static ControlPlane shared;

    private final Path binaries;
    private final Path certificates;
    private final Path work;
    private final KubeAPIServer apiServer;
    private final Process controllerManager;
    private final Path adminKubeconfig;
    private final String server;
    private final Path certificateAuthority;
    private final AuditLog auditLog;
    private final KubernetesClient admin;
    private final Set<Path> installedCrds = new HashSet<>();
    /** The CRDs as this class last wrote them. */
    private final Map<String, Applied> applied = new HashMap<>();
    private final AtomicInteger namespaces = new AtomicInteger();

    /** The control plane of this JVM, started at the first call and stopped when the JVM ends. */
    public static synchronized ControlPlane shared() {
        if (shared == null) {
            shared = new ControlPlane();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "control-plane-stop"));
        }
        return shared;
    }

    private ControlPlane() {
        try {
            binaries = Binaries.built();
            work = Files.createTempDirectory("control-plane");
            auditLog = new AuditLog(work.resolve("audit.log"));
            Path policy = Files.writeString(work.resolve("audit-policy.yaml"), AuditLog.POLICY);
            // kube-api-test finds the binaries in <dir>/k8s/<version>-linux-amd64 and writes its certificates to <dir>.
            String testDir = binaries.getParent().getParent().toString();
            certificates = Path.of(testDir);
            apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withTestDir(testDir)
                    .withApiServerVersion(Binaries.kubernetesVersion(binaries))
                    // Set in code: in 7.5.2 these settings, read from the environment, throw a ClassCastException.
                    .withOfflineMode(true)
                    .withWaitForEtcdHealthCheckOnStartup(true)
                    .withStartupTimeout(180_000)
                    .withApiServerFlag("--bind-address", "127.0.0.1")
                    .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
                    .withApiServerFlag("--audit-policy-file", policy.toString())
                    .withApiServerFlag("--audit-log-path", auditLog.file().toString())
                    .withApiServerFlag("--audit-log-mode", "blocking")
                    .build());
            apiServer.start();
            adminKubeconfig = Files.writeString(work.resolve("admin.kubeconfig"), apiServer.getKubeConfigYaml());
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, adminKubeconfig.toString());
            admin = new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build();
            server = admin.getConfiguration().getMasterUrl();
            certificateAuthority = certificates.resolve("apiserver.crt");
            controllerManager = startControllerManager(certificates.resolve("apiserver.key"));
            awaitControllers();
            System.out.println("control plane: kube-apiserver " + admin.getKubernetesVersion().getGitVersion()
                    + ", " + Binaries.etcdVersion(binaries) + ", at " + server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Process startControllerManager(Path serviceAccountKey) throws IOException {
        List<String> command = List.of(binaries.resolve("kube-controller-manager").toString(),
                "--kubeconfig=" + adminKubeconfig,
                "--leader-elect=false",
                "--bind-address=127.0.0.1",
                "--secure-port=0", // nothing to serve: no port to find free
                "--service-account-private-key-file=" + serviceAccountKey,
                "--root-ca-file=" + certificateAuthority,
                "--use-service-account-credentials=false",
                // A namespace whose deletion is held up is looked at again every 10 s instead of 5 min.
                "--namespace-sync-period=10s");
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("kube-controller-manager.log").toFile()).start();
    }

    /** Until the controller manager has made the {@code default} ServiceAccount of kube-system: its controllers run. */
    private void awaitControllers() {
        Instant until = Instant.now().plus(Duration.ofSeconds(120));
        while (admin.serviceAccounts().inNamespace("kube-system").withName("default").get() == null) {
            if (!controllerManager.isAlive() || Instant.now().isAfter(until)) {
                throw new IllegalStateException("kube-controller-manager did not start; its log: "
                        + work.resolve("kube-controller-manager.log"));
            }
            sleep(200);
        }
    }

    /** A new namespace, named after {@code hint}, for one test. */
    public String createNamespace(String hint) {
        String base = hint.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String name = ("t" + namespaces.incrementAndGet() + "-" + base);
        name = name.substring(0, Math.min(name.length(), 50)).replaceAll("-+$", "");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        // The controller manager's first writes to a new namespace (its default ServiceAccount, the cluster's CA in
        // kube-root-ca.crt) are over before a test starts, so they never count among the test's own calls.
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (admin.serviceAccounts().inNamespace(name).withName("default").get() == null
                || admin.configMaps().inNamespace(name).withName("kube-root-ca.crt").get() == null) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("the controller manager did not fill namespace " + name + " in 60 s");
            }
            sleep(50);
        }
        return name;
    }

    /**
     * Deletes a namespace as {@code kubectl delete namespace} does; the controller manager empties it. The finalizers
     * a test's operator left on the project's resources are let go first, as docs/kubernetes.md tells a person to
     * once the operator is gone: else the namespace, and any later deletion of the CRDs, would wait for good.
     */
    public synchronized void deleteNamespace(String name) {
        for (Path folder : installedCrds) {
            for (CustomResourceDefinition crd : crds(folder)) {
                var objects = admin.genericKubernetesResources(served(crd)).inNamespace(name);
                try {
                    objects.list().getItems().stream().filter(o -> o.getMetadata().getFinalizers() != null
                            && !o.getMetadata().getFinalizers().isEmpty()).forEach(o -> objects.withName(
                            o.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"finalizers\":null}}"));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) { // the test deleted the CRD: nothing of it is left
                        throw e;
                    }
                }
            }
        }
        admin.namespaces().withName(name).delete();
    }

    /** A client of the cluster administrator whose default namespace is {@code namespace}. */
    public KubernetesClient client(String namespace) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.autoConfigure(null))
                .withNamespace(namespace).build()).build();
    }

    /** The cluster administrator's client (in {@code default}). */
    public KubernetesClient admin() {
        return admin;
    }

    /** Creates (once per JVM) every CRD in {@code folder}, and waits until they are served. */
    public synchronized void installCrds(Path folder) {
        Path key = folder.toAbsolutePath().normalize();
        if (!installedCrds.contains(key)) {
            applyCrds(folder);
            installedCrds.add(key);
        }
    }

    /**
     * Brings every CRD installed here back to its committed definition where a test changed or deleted it: they are
     * the cluster's, shared by every test of this JVM.
     */
    public synchronized void restoreCrds() {
        for (Path folder : installedCrds) {
            for (CustomResourceDefinition crd : crds(folder)) {
                CustomResourceDefinition current = crdNamed(crd.getMetadata().getName()).get();
                // The generation moves with the spec; annotations and a new object do not move it.
                if (current == null || !Objects.equals(current.getMetadata().getAnnotations(),
                        crd.getMetadata().getAnnotations()) || !applied.get(crd.getMetadata().getName())
                        .equals(new Applied(current.getMetadata().getUid(), current.getMetadata().getGeneration()))) {
                    apply(crd);
                }
            }
        }
    }

    /** Creates or replaces every CRD in {@code folder} with its committed definition, and waits until served. */
    private synchronized void applyCrds(Path folder) {
        crds(folder).forEach(this::apply);
    }

    private void apply(CustomResourceDefinition crd) {
        CustomResourceDefinition served = apply(admin, crd);
        applied.put(crd.getMetadata().getName(), new Applied(served.getMetadata().getUid(),
                served.getMetadata().getGeneration()));
    }

    /** Creates or replaces {@code crd} with {@code client}, and waits until its objects are served. */
    static CustomResourceDefinition apply(KubernetesClient client, CustomResourceDefinition crd) {
        String name = crd.getMetadata().getName();
        Resource<CustomResourceDefinition> named = client.apiextensions().v1().customResourceDefinitions().withName(name);
        // One being deleted (its objects first) cannot be made again until it is gone.
        named.waitUntilCondition(c -> c == null || c.getMetadata().getDeletionTimestamp() == null, 120, TimeUnit.SECONDS);
        CustomResourceDefinition current = named.get();
        CustomResourceDefinition wanted = client.getKubernetesSerialization().clone(crd);
        if (current == null) {
            client.resource(wanted).create();
        } else {
            wanted.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.resource(wanted).update();
        }
        CustomResourceDefinition served = named.waitUntilCondition(c -> c != null && c.getStatus() != null
                && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                .anyMatch(s -> s.getType().equals("Established") && s.getStatus().equals("True")), 60, TimeUnit.SECONDS);
        awaitServed(client, served);
        return served;
    }

    private Resource<CustomResourceDefinition> crdNamed(String name) {
        return admin.apiextensions().v1().customResourceDefinitions().withName(name);
    }

    /**
     * Until the API server lists the CRD's objects: just after it is established, its watch cache may still answer
     * 429 "storage is (re)initializing", which a program starting then would meet.
     */
    static void awaitServed(KubernetesClient client, CustomResourceDefinition crd) {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                client.genericKubernetesResources(served(crd)).inAnyNamespace().list();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 429 || Instant.now().isAfter(until)) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    /** Where the CRD's objects are served, from the CRD itself: the API server's discovery may lag behind it. */
    private static ResourceDefinitionContext served(CustomResourceDefinition crd) {
        return new ResourceDefinitionContext.Builder().withGroup(crd.getSpec().getGroup())
                .withVersion(crd.getSpec().getVersions().get(0).getName()).withKind(crd.getSpec().getNames().getKind())
                .withPlural(crd.getSpec().getNames().getPlural()).withNamespaced("Namespaced".equals(crd.getSpec()
                        .getScope())).build();
    }

    private record Applied(String uid, Long generation) {
    }

    /** The CRDs committed in {@code folder}. */
    List<CustomResourceDefinition> crds(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<CustomResourceDefinition> crds = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted().toList()) {
                crds.add(admin.getKubernetesSerialization().unmarshal(Files.readString(file),
                        CustomResourceDefinition.class));
            }
            return crds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cluster administrator's kubeconfig file. */
    public Path adminKubeconfig() {
        return adminKubeconfig;
    }

    /**
     * A kubeconfig file that authenticates as ServiceAccount {@code serviceAccount} of {@code namespace}, with a
     * token from the TokenRequest API, as a Pod running under that ServiceAccount would.
     */
    public Path serviceAccountKubeconfig(String namespace, String serviceAccount) {
        String token = token(namespace, serviceAccount);
        String config = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    certificate-authority: %s
                contexts:
                - name: %s
                  context: {cluster: test, namespace: %s, user: %s}
                current-context: %s
                users:
                - name: %s
                  user:
                    token: %s
                """.formatted(server, certificateAuthority, serviceAccount, namespace, serviceAccount, serviceAccount,
                serviceAccount, token);
        try {
            return Files.writeString(work.resolve(namespace + "-" + serviceAccount + ".kubeconfig"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token of ServiceAccount {@code serviceAccount} of {@code namespace}, from the TokenRequest API. */
    public String token(String namespace, String serviceAccount) {
        return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(24 * 3600L).endSpec().build())
                .getStatus().getToken();
    }

    /**
     * A new ServiceAccount {@code name} of {@code namespace} that may do what {@code rules} grant (a Role of its own
     * and the binding), and a token of it: a person or a tool with just these rights, as a cluster has them.
     */
    public String serviceAccountWithRole(String namespace, String name, PolicyRule... rules) {
        admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName(name).endMetadata().build()).create();
        admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName(name)
                .endMetadata().withRules(rules).build()).create();
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject()
                .build()).create();
        return token(namespace, name);
    }

    /** The release's own kubectl, run as the cluster administrator. */
    public Kubectl kubectl() {
        return new Kubectl(binaries.resolve("kubectl"), adminKubeconfig);
    }

    /** The release's own kubectl, run with {@code kubeconfig}. */
    public Kubectl kubectl(Path kubeconfig) {
        return new Kubectl(binaries.resolve("kubectl"), kubeconfig);
    }

    /** The API server's audit log: every request, who made it and how it ended. */
    public AuditLog auditLog() {
        return auditLog;
    }

    Path binaries() {
        return binaries;
    }

    /** The folder of the API server's certificate and key, and of the administrator's client certificate. */
    Path certificates() {
        return certificates;
    }

    private void stop() {
        controllerManager.destroy();
        try {
            controllerManager.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        apiServer.stop();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
