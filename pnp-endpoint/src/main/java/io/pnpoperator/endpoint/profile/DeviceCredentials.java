package io.pnpoperator.endpoint.profile;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.pnpoperator.endpoint.protocol.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The device login a profile names in {@code spec.credentialsSecret}: a Secret of type
 * {@code kubernetes.io/basic-auth} (keys {@code username} and {@code password}), read from the cluster, or in
 * the lab from {@code <name>.yaml} beside the profile (the same manifest, so it moves with {@code kubectl apply}).
 * Messages name the Secret and the key, never a value.
 */
public final class DeviceCredentials {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DeviceCredentials() {
    }

    /** The login in a Secret's {@code stringData} or base64 {@code data}. */
    public static Credentials of(Secret secret) {
        String name = secret.getMetadata() == null ? "(unnamed)" : secret.getMetadata().getName();
        return new Credentials(key(secret, "username", name), key(secret, "password", name));
    }

    /** The Secret manifest {@code <name>.yaml} in {@code folder}. */
    public static Credentials fromFile(Path folder, String name) {
        Path file = folder.resolve(name + ".yaml");
        try {
            return of(YAML.readValue(Files.readAllBytes(file), Secret.class));
        } catch (NoSuchFileException e) {
            throw new ProfileException("spec.credentialsSecret names " + file + ", which does not exist: write a "
                    + "Secret manifest there (type kubernetes.io/basic-auth, stringData username and password)");
        } catch (IOException e) {
            throw new ProfileException("spec.credentialsSecret: " + file + " is not a Secret manifest: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String key(Secret secret, String key, String name) {
        Optional<String> plain = Optional.ofNullable(secret.getStringData()).map(m -> m.get(key));
        Optional<String> encoded = Optional.ofNullable(secret.getData()).map(m -> m.get(key)).map(DeviceCredentials::decode);
        return plain.or(() -> encoded).filter(v -> !v.isEmpty()).orElseThrow(() -> new ProfileException(
                "Secret " + name + " has no " + key + " (keys: " + keys(secret) + ")"));
    }

    private static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String keys(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
        return String.join(", ", new TreeSet<>(Stream.concat(data.keySet().stream(), stringData.keySet().stream())
                .toList()));
    }
}
