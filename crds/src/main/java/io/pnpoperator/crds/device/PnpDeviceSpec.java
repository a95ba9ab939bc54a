package io.pnpoperator.crds.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** What people declare about a router: which profile provisions it, with which variables, or to hold it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PnpDeviceSpec(
        @JsonPropertyDescription("Serial number as in the UDI, e.g. FGL2548L0AW")
        @Required @Pattern("^[A-Za-z0-9]{1,32}$") String serialNumber,
        @JsonPropertyDescription("Name of the PnpProfile in this namespace") String profile,
        @JsonPropertyDescription("Values for the day-0 config template, e.g. hostname") Map<String, String> variables,
        @JsonPropertyDescription("Hold the device with backoffs until set back to false") Boolean paused) {
}
