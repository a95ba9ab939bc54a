package io.pnpoperator.endpoint.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The PnP services, each named by the namespace of its request or response element. */
public enum Service {
    WORK_INFO("work-info"),
    CLI_CONFIG("cli-config"),
    CLI_EXEC("cli-exec"),
    DEVICE_INFO("device-info"),
    IMAGE_INSTALL("image-install"),
    FILE_TRANSFER("file-transfer"),
    CONFIG_UPGRADE("config-upgrade"),
    BACKOFF("backoff"),
    RELOAD("reload"),
    CAPABILITY("capability"),
    DEVICE_AUTH("device-auth"),
    FAULT("fault");

    public static final String PNP_NAMESPACE = "urn:cisco:pnp";

    private final String shortName;

    Service(String shortName) {
        this.shortName = shortName;
    }

    /** The name used in logs, metrics labels and the transition history, e.g. {@code cli-exec}. */
    public String shortName() {
        return shortName;
    }

    public String namespace() {
        return PNP_NAMESPACE + ":" + shortName;
    }

    public static Optional<Service> fromNamespace(String namespace) {
        return Arrays.stream(values()).filter(s -> s.namespace().equals(namespace)).findFirst();
    }
}
