package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.Routers;
import io.pnpoperator.testcluster.WithCluster;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer release beside this one, as during a rollout (or after a rollback, which keeps the newer CRD): its CRD
 * has a step and a status field this version does not know, and one of its routers is at that step. This endpoint
 * reads it without failing, tells that router to come back (the newer release carries it on) and writes nothing of
 * it — the step and the field stay as the newer release wrote them — while it provisions its other routers.
 */
@WithCluster
class NewerReleaseTest {

    static final String NEWER_STEP = "PRE_UPGRADE_CHECK";

    @TempDir
    Path folder;
    KubernetesClient client;

    @Test
    void aRouterAtANewerReleasesStepIsLeftToItAndTheOthersProvisioned() throws Exception {
        newerCrd();
        Lab lab = Lab.create(folder);
        KubernetesModeTest.createProfile(client, lab, "default");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("lab-configs").endMetadata()
                .addToData("default.cfg", Lab.DEFAULT_CFG).build()).create();
        String version = newerReleasesRouter("FGL0000NEW1");

        try (PnpServer endpoint = PnpServer.start(lab, KubernetesModeTest.args(client, lab, "register"))) {
            var answer = endpoint.post("/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" "
                    + "udi=\"PID:C1131-8PWB,VID:V01,SN:FGL0000NEW1\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                    + "correlator=\"c-1\"/></pnp>").getBytes());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("urn:cisco:pnp:backoff");

            assertThat(Routers.run(Routers.router("FGL0000OLD1", endpoint.deviceUrl(), Routers.FAST), 60).finished())
                    .as("its other routers provisioned meanwhile").isTrue();
        }
        assertThat(device("fgl0000old1").getAdditionalProperties().get("status").toString()).contains("step=FINISHED");
        GenericKubernetesResource after = device("fgl0000new1");
        assertThat(after.getMetadata().getResourceVersion()).as("nothing written").isEqualTo(version);
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) after.getAdditionalProperties().get("status");
        assertThat(status).containsEntry("step", NEWER_STEP).containsEntry("preUpgradeReport", "kept");
    }

    /** The PnpDevice CRD as a newer release has it: one more step, one more status field, a later revision. */
    private void newerCrd() {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("pnpdevices.pnp.pnpoperator.io").get();
        crd.getMetadata().getAnnotations().put(PnpApi.SCHEMA_REVISION_ANNOTATION,
                Integer.toString(PnpApi.SCHEMA_REVISION + 1));
        JSONSchemaProps status = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("status");
        status.getProperties().get("step").getEnum().add(TextNode.valueOf(NEWER_STEP));
        status.getProperties().get("history").getItems().getSchema().getProperties().get("to").getEnum()
                .add(TextNode.valueOf(NEWER_STEP));
        status.getProperties().put("preUpgradeReport", new JSONSchemaPropsBuilder().withType("string").build());
        client.resource(crd).update();
    }

    /** A router the newer release has taken to its new step; the resource's version as written. */
    private String newerReleasesRouter(String serial) throws InterruptedException {
        String now = Instant.now().toString();
        GenericKubernetesResource device = client.getKubernetesSerialization().unmarshal("""
                {"apiVersion":"pnp.pnpoperator.io/v1alpha1","kind":"PnpDevice","metadata":{"name":"%s"},
                 "spec":{"serialNumber":"%s","profile":"default"}}""".formatted(serial.toLowerCase(), serial),
                GenericKubernetesResource.class);
        GenericKubernetesResource created = client.resource(device).create();
        created.getAdditionalProperties().put("status", client.getKubernetesSerialization().unmarshal("""
                {"phase":"Provisioning","step":"%s","stepSince":"%s","preUpgradeReport":"kept",
                 "identity":{"udi":"PID:C1131-8PWB,VID:V01,SN:%s","pid":"C1131-8PWB","firstSeen":"%s",
                   "lastContact":"%s","ipAddress":"127.0.0.1"},
                 "history":[{"sequence":1,"from":"NEW_DEVICE","to":"%s","phase":"Provisioning","work":"cli-config",
                   "result":"success","at":"%s"}]}""".formatted(NEWER_STEP, now, serial, now, now, NEWER_STEP, now),
                Map.class));
        // The API server takes the newer schema a moment after the CRD's update: until then the step is refused.
        Instant until = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return client.resource(created).updateStatus().getMetadata().getResourceVersion();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 422 || Instant.now().isAfter(until)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private GenericKubernetesResource device(String name) {
        return client.genericKubernetesResources(PnpApi.API_VERSION, "PnpDevice").withName(name).get();
    }
}
