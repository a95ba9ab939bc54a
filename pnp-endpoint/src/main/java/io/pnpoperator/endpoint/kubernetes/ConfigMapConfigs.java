package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.toolkit.kubernetes.Keys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Day-0 configurations from the profile's ConfigMap (the operator's copy named by {@code status.configMap},
 * or before the operator has published one, the ConfigMap {@code spec.config.configMap}): the key {@code <SERIAL>.cfg} when present (and
 * {@code perDevice} is not false), else the template key, with {@code ${name}} replaced by the device's
 * {@code spec.variables} (and {@code ${serial}}). A variable without a value is left as written.
 */
public final class ConfigMapConfigs implements DayZeroConfigs {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)}");

    private final ClusterProfiles profiles;
    private final KubernetesDeviceStore devices;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final String namespace;

    public ConfigMapConfigs(ClusterProfiles profiles, KubernetesDeviceStore devices,
                            SharedIndexInformer<ConfigMap> configMaps, String namespace) {
        this.profiles = profiles;
        this.devices = devices;
        this.configMaps = configMaps;
        this.namespace = namespace;
    }

    @Override
    public Optional<byte[]> forDevice(String serial) {
        Map<String, String> variables = devices.resource(serial).map(PnpDevice::getSpec)
                .map(s -> s.variables() == null ? Map.<String, String>of() : s.variables()).orElse(Map.of());
        return forDevice(profiles.profileOf(serial), serial, variables);
    }

    /** The configuration a device of this serial and these variables gets from this profile. */
    public Optional<byte[]> forDevice(Optional<PnpProfile> profile, String serial, Map<String, String> variables) {
        Optional<DayZeroConfig> config = profile.map(p -> p.getSpec().config());
        // The operator's checked copy (status.configMap) when it has published one, else the ConfigMap itself.
        Optional<String> name = profile.map(PnpProfile::getStatus).map(PnpProfileStatus::configMap)
                .or(() -> config.map(DayZeroConfig::configMap));
        Optional<ConfigMap> configMap = config.flatMap(c -> name)
                .map(n -> configMaps.getStore().getByKey(Keys.of(namespace, n)));
        if (config.isEmpty() || configMap.isEmpty() || configMap.get().getData() == null) {
            return Optional.empty();
        }
        Map<String, String> data = configMap.get().getData();
        String own = Boolean.FALSE.equals(config.get().perDevice()) ? null : data.get(serial + ".cfg");
        String template = own != null ? own : data.get(config.get().template());
        if (template == null) {
            return Optional.empty();
        }
        return Optional.of(render(template, serial, variables).getBytes(StandardCharsets.UTF_8));
    }

    static String render(String template, String serial, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals("serial") ? serial : variables.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        return m.appendTail(out).toString();
    }
}
