package io.pnpoperator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (v1.33) against the strict server, with the test CRD: what a user types, and what it prints —
 * apply with server-side field validation, get with the printer columns and their priorities, the status
 * subresource patch, a refusal worded as by a real cluster, wait on a condition, describe.
 */
class KubectlTest {

    @TempDir
    Path folder;
    StrictApiServer server;
    Kubectl kubectl;

    @BeforeEach
    void start() throws Exception {
        server = StrictApiServer.running();
        kubectl = new Kubectl(server, folder, "shop");
        assertThat(kubectl.run("apply", "-f", "src/test/resources/widgets.example.io.yaml").ok())
                .isEqualTo("customresourcedefinition.apiextensions.k8s.io/widgets.example.io created\n");
        Files.writeString(folder.resolve("w1.yaml"), """
                apiVersion: example.io/v1
                kind: Widget
                metadata: {name: w1, namespace: shop}
                spec: {size: small, color: red}
                """);
        assertThat(kubectl.run("apply", "-f", folder.resolve("w1.yaml").toString()).ok())
                .isEqualTo("widget.example.io/w1 created\n");
    }

    @AfterEach
    void stop() {
        server.destroy();
    }

    @Test
    void getPrintsThePrinterColumnsAndWideTheDetailedOnes() {
        assertThat(kubectl.run("get", "widgets").ok()).matches("""
                NAME   SIZE    READY   AGE
                w1     small           \\d+s
                """);
        assertThat(kubectl.run("get", "wdg", "-o", "wide").ok()).matches("""
                NAME   SIZE    READY   COLOR   AGE
                w1     small           red     \\d+s
                """);
    }

    @Test
    void aStatusPatchIsStoredAndWaitAndDescribeSeeIt() {
        assertThat(kubectl.run("patch", "widget", "w1", "--subresource=status", "--type=merge", "-p",
                "{\"spec\":{\"size\":\"large\"},\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}")
                .ok()).isEqualTo("widget.example.io/w1 patched\n");
        assertThat(kubectl.run("wait", "--for=condition=Ready", "widget/w1", "--timeout=10s").ok())
                .isEqualTo("widget.example.io/w1 condition met\n");
        assertThat(kubectl.run("get", "widget", "w1").ok()).contains("w1     small   True");
        assertThat(kubectl.run("describe", "widget", "w1").ok()).contains("""
                Spec:
                  Color:  red
                  Size:   small
                Status:
                  Conditions:
                    Status:  True
                    Type:    Ready
                Events:      <none>""");
    }

    @Test
    void builtInObjectsAsJsonSecretsAndConfigMapsAsProtobufOthersRefusedAtOnce() throws Exception {
        Files.writeString(folder.resolve("cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c1, namespace: shop}
                data: {a: b}
                """);
        assertThat(kubectl.run("apply", "-f", folder.resolve("cm.yaml").toString()).ok())
                .isEqualTo("configmap/c1 created\n");
        assertThat(kubectl.run("create", "configmap", "c2", "--from-literal=a=b", "--request-timeout=10s").ok())
                .as("sent as protobuf").isEqualTo("configmap/c2 created\n");
        assertThat(kubectl.run("get", "configmap", "c2", "-o", "jsonpath={.data.a}").ok()).isEqualTo("b");
        Kubectl.Result typed = kubectl.run("create", "serviceaccount", "robot", "--request-timeout=10s");
        assertThat(typed.exitCode()).isEqualTo(1);
        assertThat(typed.err()).contains("protobuf only for Secrets and ConfigMaps");
    }

    @Test
    void refusalsReadAsFromARealCluster() throws Exception {
        Kubectl.Result bogus = kubectl.run("patch", "widget", "w1", "--type=merge", "-p", "{\"spec\":{\"size\":\"BOGUS\"}}");
        assertThat(bogus.exitCode()).isEqualTo(1);
        assertThat(bogus.err()).isEqualTo("The Widget \"w1\" is invalid: spec.size: Unsupported value: \"BOGUS\": "
                + "supported values: \"small\", \"large\", \"huge\"\n");

        Files.writeString(folder.resolve("w2.yaml"), """
                apiVersion: example.io/v1
                kind: Widget
                metadata: {name: w2, namespace: shop}
                spec: {size: small, colour: red}
                """);
        Kubectl.Result unknown = kubectl.run("apply", "-f", folder.resolve("w2.yaml").toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("unknown field \"spec.colour\"");
        assertThat(kubectl.run("get", "widgets", "-o", "name").ok()).isEqualTo("widget.example.io/w1\n");
    }
}
