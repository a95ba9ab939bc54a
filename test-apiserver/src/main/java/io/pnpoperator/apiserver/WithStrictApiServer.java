package io.pnpoperator.apiserver;

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
 * A fresh {@link StrictApiServer} for each test, with the project's CRDs ({@code ../crds}) created on it, put into
 * the test's fields of type {@link StrictApiServer} (or a supertype, such as fabric8's {@code KubernetesMockServer})
 * and {@link KubernetesClient}; both closed after the test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(WithStrictApiServer.Extension.class)
public @interface WithStrictApiServer {

    /** The folder of CRDs to create, relative to the module being tested. */
    String crds() default "../crds";

    final class Extension implements BeforeEachCallback, AfterEachCallback {

        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(Extension.class);

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            StrictApiServer server = StrictApiServer.running();
            KubernetesClient client = server.createClient();
            Path crds = Path.of(context.getRequiredTestClass().getAnnotation(WithStrictApiServer.class).crds());
            if (Files.isDirectory(crds)) {
                server.installCrds(client, crds);
            }
            context.getStore(STORE).put("server", server);
            context.getStore(STORE).put("client", client);
            Object test = context.getRequiredTestInstance();
            for (Class<?> type = test.getClass(); type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getType().isAssignableFrom(StrictApiServer.class)
                            && field.getType() != Object.class) {
                        field.setAccessible(true);
                        field.set(test, server);
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
            StrictApiServer server = context.getStore(STORE).remove("server", StrictApiServer.class);
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.destroy();
            }
        }
    }
}
