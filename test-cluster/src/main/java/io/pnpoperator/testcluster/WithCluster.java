package io.pnpoperator.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Each test on the real control plane ({@link ControlPlane#shared()}, with the project's CRDs from {@code ../crds}
 * applied), in a namespace of its own: fields of type {@link KubernetesClient} get the administrator's client whose
 * default namespace is the test's, fields of type {@link ControlPlane} the control plane. The namespace is deleted
 * after the test, as a user would, and the controller manager empties it; a CRD the test changed is put back.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WithCluster.Extension.class)
public @interface WithCluster {

    /** The folder of CRDs to apply, relative to the module being tested. */
    String crds() default "../crds";

    final class Extension implements BeforeEachCallback, AfterEachCallback {

        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(Extension.class);

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            ControlPlane cluster = ControlPlane.shared();
            Path crds = Path.of(context.getRequiredTestClass().getAnnotation(WithCluster.class).crds());
            if (Files.isDirectory(crds)) {
                cluster.installCrds(crds);
            }
            String namespace = cluster.createNamespace(context.getRequiredTestMethod().getName());
            KubernetesClient client = cluster.client(namespace);
            context.getStore(STORE).put("namespace", namespace);
            context.getStore(STORE).put("client", client);
            Object test = context.getRequiredTestInstance();
            for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getType() == ControlPlane.class) {
                        field.setAccessible(true);
                        field.set(test, cluster);
                    } else if (field.getType() == KubernetesClient.class) {
                        field.setAccessible(true);
                        field.set(test, client);
                    }
                }
            }
        }

        @Override
        public void afterEach(ExtensionContext context) {
            KubernetesClient client = context.getStore(STORE).remove("client", KubernetesClient.class);
            String namespace = context.getStore(STORE).remove("namespace", String.class);
            if (client != null) {
                client.close();
            }
            if (namespace != null) {
                ControlPlane.shared().deleteNamespace(namespace);
            }
            ControlPlane.shared().restoreCrds();
        }
    }
}
