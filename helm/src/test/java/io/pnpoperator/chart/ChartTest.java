package io.pnpoperator.chart;

import static io.pnpoperator.chart.Chart.EVERYTHING_ON;
import static io.pnpoperator.chart.Chart.all;
import static io.pnpoperator.chart.Chart.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart with real Helm (helm-java): lint, template, the values schema, and the objects it makes. */
class ChartTest {

    static final String ENDPOINT = "pnp-pnp-endpoint";
    static final String OPERATOR = "pnp-pnp-operator";

    @TempDir
    Path copy;

    @Test
    void lintIsCleanWithDefaultValues() {
        LintResult lint = new Helm(Chart.DIR).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void lintIsCleanWithEveryOptionalFeatureOn() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode values = (ObjectNode) yaml.readTree(Chart.DIR.resolve("values.yaml").toFile());
        EVERYTHING_ON.forEach((path, value) -> {
            String[] keys = path.split("\\.");
            ObjectNode node = values;
            for (int i = 0; i < keys.length - 1; i++) {
                node = (ObjectNode) node.get(keys[i]);
            }
            node.set(keys[keys.length - 1], yaml.valueToTree(value));
        });
        LintResult lint = new Helm(Chart.copyWithValues(copy, yaml.writeValueAsString(values))).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultInstallMakesTheExpectedObjects() {
        List<HasMetadata> objects = Chart.render(Map.of());
        Map<String, Long> kinds = objects.stream().collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new,
                Collectors.counting()));
        assertThat(kinds).containsExactlyEntriesOf(new TreeMap<>(Map.ofEntries(Map.entry("Deployment", 2L),
                Map.entry("Service", 3L), Map.entry("ServiceAccount", 2L), Map.entry("Role", 3L),
                Map.entry("RoleBinding", 3L), Map.entry("PersistentVolumeClaim", 1L), Map.entry("PodDisruptionBudget", 1L),
                Map.entry("NetworkPolicy", 2L), Map.entry("ClusterRole", 1L), Map.entry("ClusterRoleBinding", 2L),
                Map.entry("Lease", 1L))));
        assertThat(all(objects, ClusterRoleBinding.class)).filteredOn(b -> b.getSubjects().get(0).getName()
                .equals(ENDPOINT)).singleElement().satisfies(binding -> {
            assertThat(binding.getRoleRef().getName()).as("token and access reviews, nothing else")
                    .isEqualTo("system:auth-delegator");
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName())
                    .isEqualTo(ENDPOINT));
        });
        for (HasMetadata object : objects) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind() + " " + object.getMetadata().getName())
                    .containsEntry("app.kubernetes.io/name", "pnp-operator").containsEntry("app.kubernetes.io/instance", "pnp")
                    .containsEntry("app.kubernetes.io/managed-by", "Helm").containsEntry("app.kubernetes.io/part-of", "pnp-operator")
                    .containsKeys("app.kubernetes.io/version", "app.kubernetes.io/component", "helm.sh/chart");
            if (!object.getKind().startsWith("Cluster")) {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind()).isEqualTo("pnp");
            }
        }

        Deployment endpoint = named(objects, Deployment.class, ENDPOINT);
        assertThat(endpoint.getSpec().getReplicas()).isEqualTo(2);
        assertThat(env(endpoint)).containsEntry("PNP_MODE", "kubernetes").containsEntry("PNP_ADMIN_ADDRESS", "0.0.0.0")
                .containsEntry("PNP_UNKNOWN_DEVICES", "reject").doesNotContainKey("SPRING_DATASOURCE_URL");
        assertThat(named(objects, Deployment.class, OPERATOR).getSpec().getReplicas()).isEqualTo(1);
        assertThat(env(named(objects, Deployment.class, OPERATOR)))
                .containsEntry("PNP_ARTIFACTS_VOLUME", "pnp-pnp-artifacts").containsEntry("PNP_LOG_FORMAT", "json");
        assertThat(named(objects, PersistentVolumeClaim.class, "pnp-pnp-artifacts").getSpec().getAccessModes())
                .as("what every cluster's default StorageClass offers").containsExactly("ReadWriteOnce");
        assertThat(Chart.template(Map.of())).as("a default install needs no ReadWriteMany volume")
                .doesNotContain("ReadWriteMany");
        assertThat(named(objects, PodDisruptionBudget.class, ENDPOINT).getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }

    @Test
    void devicesAndAdminAreSeparateServices() {
        List<HasMetadata> objects = Chart.render(Map.of());
        Service devices = named(objects, Service.class, "pnp-pnp-devices");
        assertThat(devices.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(devices.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(80);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("devices");
        });
        Service admin = named(objects, Service.class, "pnp-pnp-admin");
        assertThat(admin.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(admin.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getTargetPort().getStrVal())
                .isEqualTo("admin"));

        Service https = named(Chart.render(Map.of("endpoint.service.port", 443, "endpoint.service.scheme", "https",
                "endpoint.service.type", "NodePort", "endpoint.service.nodePort", 30443)), Service.class, "pnp-pnp-devices");
        assertThat(https.getSpec().getType()).isEqualTo("NodePort");
        assertThat(https.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
        assertThat(https.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30443);
    }

    @Test
    void everyPodRunsAsNonRootWithAReadOnlyRootAndNoCapabilities() {
        for (Deployment deployment : all(Chart.render(EVERYTHING_ON), Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(deployment.getMetadata().getName()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container container : pod.getContainers()) {
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(container.getResources().getLimits()).containsKey("memory");
                assertThat(container.getLivenessProbe()).isNotNull();
                assertThat(container.getReadinessProbe()).isNotNull();
                assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                    assertThat(m.getMountPath()).isEqualTo("/var/lib/pnp/artifacts");
                    assertThat(m.getReadOnly()).as("the shared volume, only read").isTrue();
                });
            }
        }
    }

    /** docs/kubernetes.md names the chart's Services as it renders them, and each value's default as values.yaml has it. */
    @Test
    void theInstallGuideSaysWhatTheChartHas() throws Exception {
        String guide = Files.readString(Path.of("../docs/kubernetes.md"));
        List<String> services = all(Chart.render(Map.of()), Service.class).stream().map(s -> s.getMetadata().getName())
                .toList();
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("svc/([a-z0-9-]+)").matcher(guide);
        while (named.find()) {
            assertThat(services).as("svc/" + named.group(1) + " in docs/kubernetes.md").contains(named.group(1));
        }
        JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(Chart.DIR.resolve("values.yaml").toFile());
        java.util.regex.Matcher row = java.util.regex.Pattern.compile(
                "(?m)^\\| `([a-zA-Z.]+)`(?:, `([a-zA-Z.]+)`)? \\| `([^`]*)`(?:, `([^`]*)`)? \\|").matcher(guide);
        int rows = 0;
        while (row.find()) {
            for (int key = 1; key <= 2 && row.group(key) != null; key++) {
                JsonNode value = values.at("/" + row.group(key).replace('.', '/'));
                String written = value.isTextual() ? (value.asText().isEmpty() ? "\"\"" : value.asText()) : value.toString();
                assertThat(row.group(key + 2)).as("default of " + row.group(key) + " in docs/kubernetes.md")
                        .isEqualTo(written);
                rows++;
            }
        }
        assertThat(rows).as("defaults checked").isGreaterThan(20);
    }

    @Test
    void rolesGrantExactlyTheVerbsTheProgramsUse() {
        List<HasMetadata> objects = Chart.render(Map.of());
        assertThat(rules(named(objects, Role.class, ENDPOINT).getRules())).containsExactlyInAnyOrder(
                "pnp.pnpoperator.io/pnpdevices: get,list,watch,create",
                "pnp.pnpoperator.io/pnpdevices/status: patch",
                "pnp.pnpoperator.io/pnpprofiles: list,watch",
                "/configmaps: list,watch",
                "/events: create,get,patch",
                "coordination.k8s.io/leases[pnp-pnp-install-slots]: get,update");
        assertThat(rules(named(objects, Role.class, OPERATOR).getRules())).containsExactlyInAnyOrder(
                "pnp.pnpoperator.io/pnpprofiles: get,list,watch", "pnp.pnpoperator.io/pnpdevices: list,watch",
                "pnp.pnpoperator.io/pnpprofiles: patch",
                "pnp.pnpoperator.io/pnpprofiles/status: patch", "pnp.pnpoperator.io/pnpdevices/status: patch",
                "pnp.pnpoperator.io/pnpprofiles/finalizers: update",
                "/configmaps: list,watch,create,update,delete",
                "batch/jobs: list,watch,create,delete",
                "/pods: list,watch",
                "/events: create,get,patch");
        assertThat(rules(named(objects, Role.class, "pnp-pnp-operator-lease").getRules())).containsExactlyInAnyOrder(
                "coordination.k8s.io/leases: create", "coordination.k8s.io/leases[pnp-operator]: get,update,patch");
        assertThat(all(objects, ClusterRole.class)).singleElement().satisfies(crds -> assertThat(rules(crds.getRules()))
                .as("the CRDs' upgrade: these two, nothing else").containsExactly("apiextensions.k8s.io/"
                        + "customresourcedefinitions[pnpdevices.pnp.pnpoperator.io,pnpprofiles.pnp.pnpoperator.io]: get,update"));
        assertThat(all(Chart.render(Map.of("crds.upgrade", false)), ClusterRole.class)).as("not upgraded: no right")
                .isEmpty();

        assertThat(rules(named(Chart.render(Map.of("endpoint.credentialsSecrets[0]", "pnp-login")), Role.class,
                ENDPOINT).getRules())).as("the device-login Secret, by name, read only")
                .contains("/secrets[pnp-login]: get");

    }

    @Test
    void optionalFeaturesRenderWhenOn() throws Exception {
        List<HasMetadata> objects = Chart.render(EVERYTHING_ON);
        assertThat(all(objects, ServiceMonitor.class)).extracting(s -> s.getSpec().getEndpoints().get(0).getPath())
                .containsExactlyInAnyOrder("/actuator/prometheus", "/metrics");
        assertThat(all(objects, PrometheusRule.class)).singleElement().satisfies(rule -> assertThat(rule.getSpec()
                .getGroups().get(0).getRules()).extracting(Rule::getAlert).containsExactly("PnpDevicesFailed", "PnpDevicesHeld", "PnpRegistrationsRefused",
                "PnpDevicesStalled", "PnpProfileNotReady", "PnpDevicesBlocked", "PnpDevicesUnclaimed", "PnpEndpointDown",
                "PnpOperatorDown", "PnpOperatorReconcileFailures"));
        assertThat(all(objects, NetworkPolicy.class)).hasSize(2);
        assertThat(all(objects, PersistentVolumeClaim.class)).as("the existing claim is used").isEmpty();
        assertThat(env(named(objects, Deployment.class, OPERATOR))).containsEntry("PNP_ARTIFACTS_VOLUME", "images-nfs");
        Deployment endpoint = named(objects, Deployment.class, ENDPOINT);
        assertThat(endpoint.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("SPRING_DATASOURCE_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pnp-db"));
        assertThat(endpoint.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("a ServiceMonitor scrapes; no annotations as well").isNullOrEmpty();
        assertThat(env(endpoint)).as("HTTPS from the TLS Secret, in the names Spring Boot binds")
                .containsEntry("SERVER_SSL_ENABLED", "true").containsEntry("SERVER_SSL_CERTIFICATE", "/etc/pnp/tls/tls.crt")
                .containsEntry("SERVER_SSL_CERTIFICATEPRIVATEKEY", "/etc/pnp/tls/tls.key");
        assertThat(endpoint.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getSecret() != null)
                .singleElement().satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("pnp-tls"));
        assertThat(env(endpoint)).as("the SUDI trust bundle, in the name Spring Boot binds")
                .containsEntry("PNP_SECURITY_SUDITRUSTBUNDLE", "/etc/pnp/sudi/ca-bundle.pem");
        assertThat(endpoint.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getConfigMap() != null)
                .singleElement().satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("cisco-sudi-cas"));
        assertThat(env(named(Chart.render(Map.of()), Deployment.class, ENDPOINT))).as("plain HTTP by default")
                .doesNotContainKey("SERVER_SSL_ENABLED");

        ConfigMap dashboard = named(objects, ConfigMap.class, "pnp-pnp-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("pnp-fleet.json"));
        assertThat(json.get("uid").asText()).isEqualTo("pnp-fleet");
        assertThat(json.get("panels")).hasSizeGreaterThan(10);

        assertThat(named(Chart.render(Map.of()), Deployment.class, ENDPOINT).getSpec().getTemplate().getMetadata()
                .getAnnotations()).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "8081")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    @Test
    void theChartsCrdsAreTheProjectsCrds() throws Exception {
        KubernetesSerialization serialization = new KubernetesSerialization();
        String helmShows = Helm.show(Chart.DIR.toString()).crds().call();
        List<String> shown = List.of(helmShows.split("(?m)^---\\s*$"));
        List<String> names = shown.stream().map(d -> serialization.unmarshal(d, CustomResourceDefinition.class))
                .filter(crd -> crd != null).map(crd -> crd.getMetadata().getName()).toList();
        assertThat(names).containsExactlyInAnyOrder("pnpdevices.pnp.pnpoperator.io", "pnpprofiles.pnp.pnpoperator.io");
        // Links to the generated CRDs, not copies that could drift from them; and what helm shows is their text.
        for (String crd : List.of("pnpdevices.pnp.pnpoperator.io-v1.yml", "pnpprofiles.pnp.pnpoperator.io-v1.yml")) {
            Path inChart = Chart.DIR.resolve("crds").resolve(crd);
            assertThat(inChart).isSymbolicLink();
            assertThat(inChart.toRealPath()).isEqualTo(Path.of("../crds").resolve(crd).toRealPath());
            assertThat(helmShows).contains(Files.readString(inChart).strip());
        }
    }

    @Test
    void longReleaseNamesGiveDistinctNamesThatFit() {
        String release = "branch-rollout-emea-north-2026-wave-three-isr1k-abcde"; // Helm allows 53
        List<HasMetadata> objects = Chart.parse(Chart.template(release, EVERYTHING_ON));
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).doesNotHaveDuplicates();
        assertThat(objects).extracting(o -> o.getMetadata().getName()).allSatisfy(name -> assertThat(name)
                .hasSizeLessThanOrEqualTo(63).startsWith("branch-rollout-emea-north-2026"));
        assertThat(all(objects, Deployment.class)).extracting(d -> d.getMetadata().getName())
                .allMatch(name -> name.matches("branch-rollout-emea-north-2026-wave-three-isr[a-z0-9-]*-[0-9a-f]{8}-"
                        + "(endpoint|operator)"));
    }

    @Test
    void mirroredArtifactsKeepTheVolumeOnTheOperatorsNodeAndACopyInEachEndpoint() {
        List<HasMetadata> objects = Chart.render(Map.of());
        Deployment endpoint = named(objects, Deployment.class, ENDPOINT);
        assertThat(endpoint.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals("artifacts"))
                .singleElement().satisfies(v -> {
                    assertThat(v.getPersistentVolumeClaim()).as("no claim: a copy of its own").isNull();
                    assertThat(v.getEmptyDir().getSizeLimit().toString()).isEqualTo("20Gi");
                });
        assertThat(env(endpoint)).containsEntry("PNP_ARTIFACTSSOURCE", "http://pnp-pnp-operator-metrics:8080/artifacts/");
        assertThat(endpoint.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getRequests())
                .as("the copy's disk, for the scheduler").containsEntry("ephemeral-storage", new Quantity("20Gi"))
                .containsEntry("memory", new Quantity("384Mi"));
        Deployment operator = named(objects, Deployment.class, OPERATOR);
        assertThat(operator.getSpec().getTemplate().getSpec().getAffinity().getPodAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(term -> {
                    assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(term.getLabelSelector().getMatchLabels())
                            .isEqualTo(operator.getSpec().getSelector().getMatchLabels());
                });
        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .filteredOn(e -> e.getName().equals("PNP_NODE_NAME")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));

        List<HasMetadata> shared = Chart.render(Map.of("artifacts.mode", "shared", "artifacts.accessMode",
                "ReadWriteMany"));
        assertThat(named(shared, Deployment.class, ENDPOINT).getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getName().equals("artifacts")).singleElement()
                .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue());
        assertThat(env(named(shared, Deployment.class, ENDPOINT))).doesNotContainKey("PNP_ARTIFACTSSOURCE");
        assertThatThrownBy(() -> Chart.template(Map.of("artifacts.mode", "shared")))
                .hasMessageContaining("artifacts.mode shared mounts the volume on every node: it needs "
                        + "artifacts.accessMode ReadWriteMany");
    }

    @Test
    void endpointReplicasAreSpreadOverNodes() {
        Deployment endpoint = named(Chart.render(Map.of()), Deployment.class, ENDPOINT);
        assertThat(endpoint.getSpec().getReplicas()).isEqualTo(2);
        assertThat(endpoint.getSpec().getTemplate().getSpec().getTopologySpreadConstraints()).singleElement()
                .satisfies(spread -> {
                    assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(spread.getMaxSkew()).isEqualTo(1);
                    assertThat(spread.getLabelSelector().getMatchLabels())
                            .isEqualTo(endpoint.getSpec().getSelector().getMatchLabels());
                });
    }

    @Test
    void devicesServiceKeepsTheRoutersAddressAndTakesTheUsualLoadBalancerOptions() {
        Service devices = named(Chart.render(Map.of("endpoint.service.loadBalancerSourceRanges[0]", "198.51.100.0/24",
                "endpoint.service.loadBalancerClass", "service.k8s.aws/nlb")), Service.class, "pnp-pnp-devices");
        assertThat(devices.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
        assertThat(devices.getSpec().getLoadBalancerSourceRanges()).containsExactly("198.51.100.0/24");
        assertThat(devices.getSpec().getLoadBalancerClass()).isEqualTo("service.k8s.aws/nlb");
        assertThat(devices.getSpec().getLoadBalancerIP()).as("deprecated: a cloud annotation sets it").isNull();
        assertThat(env(named(Chart.render(Map.of("endpoint.trustedProxies", "10\\.0\\.0\\.\\d+")), Deployment.class,
                ENDPOINT))).containsEntry("SERVER_FORWARDHEADERSSTRATEGY", "native")
                .containsEntry("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES", "10\\.0\\.0\\.\\d+");
        assertThat(env(named(Chart.render(Map.of()), Deployment.class, ENDPOINT)))
                .as("X-Forwarded-For ignored unless a proxy is trusted").doesNotContainKey("SERVER_FORWARDHEADERSSTRATEGY");
    }

    @Test
    void imagesArePinnedByDigestWhenGivenAndPullSecretsReachTheDownloadJobs() {
        String digest = "sha256:" + "ab".repeat(32);
        List<HasMetadata> objects = Chart.render(Map.of("images.endpoint.digest", digest,
                "images.operator.repository", "registry.example.net/pnp/pnp-operator", "images.operator.tag", "",
                "images.pullSecrets[0].name", "registry-login", "images.pullSecrets[1].name", "mirror-login"));
        assertThat(named(objects, Deployment.class, ENDPOINT).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage()).isEqualTo("pnpoperator/pnp-endpoint:0.1.0@" + digest);
        Deployment operator = named(objects, Deployment.class, OPERATOR);
        assertThat(operator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.net/pnp/pnp-operator:0.1.0");
        assertThat(operator.getSpec().getTemplate().getSpec().getImagePullSecrets()).extracting(s -> s.getName())
                .containsExactly("registry-login", "mirror-login");
        assertThat(env(operator)).as("the download Jobs: a third party's image, pinned, pulled with the same secrets")
                .containsEntry("PNP_FETCH_IMAGE", "docker.io/curlimages/curl:8.11.1@sha256:"
                        + "c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69")
                .containsEntry("PNP_FETCH_PULL_SECRETS", "registry-login,mirror-login");
        assertThat(env(named(Chart.render(Map.of()), Deployment.class, OPERATOR))).doesNotContainKey("PNP_FETCH_PULL_SECRETS");
    }

    @Test
    void badValuesAreRefusedByTheSchemaWithTheFieldNamed() {
        assertRefused(Map.of("images.endpoint.digest", "latest"), "images.endpoint.digest", "pattern");
        assertRefused(Map.of("operator.watchAllNamespaces", true), "operator",
                "Additional property watchAllNamespaces is not allowed");
        assertRefused(Map.of("operator.replicas", 3), "operator.replicas", "less than or equal to 2");
        assertRefused(Map.of("endpoint.service.type", "Ingress"), "endpoint.service.type",
                "must be one of the following: \"LoadBalancer\", \"NodePort\", \"ClusterIP\"");
        assertRefused(Map.of("endpoint.unknownDevices", "maybe"), "endpoint.unknownDevices", "\"register\", \"reject\"");
        assertRefused(Map.of("operator.stalledAfter", "15 minutes"), "operator.stalledAfter", "pattern");
        assertRefused(Map.of("endpoint.mariadb.enabled", true), "endpoint.mariadb.url",
                "String length must be greater than or equal to 1");
        assertRefused(Map.of("endpoint.replica", 2), "endpoint", "Additional property replica is not allowed");
    }

    private static void assertRefused(Map<String, Object> values, String field, String detail) {
        assertThatThrownBy(() -> Chart.template(values)).as(values.toString())
                .hasMessageContaining("values don't meet the specifications of the schema(s)")
                .hasMessageContaining(field).hasMessageContaining(detail);
    }

    private static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().flatMap(r -> r.getResources().stream().map(resource -> String.join(",", r.getApiGroups())
                + "/" + resource + (r.getResourceNames().isEmpty() ? "" : r.getResourceNames().toString()
                .replace(" ", "")) + ": " + String.join(",", r.getVerbs()))).toList();
    }
}
