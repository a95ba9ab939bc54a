package io.pnpoperator.crds.profile;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.pnpoperator.crds.PnpApi;

/** What devices are provisioned with: target image, day-0 config, files, guestshell. */
@Group(PnpApi.GROUP)
@Version(PnpApi.VERSION)
@ShortNames("pnpprof")
@Categories("pnp")
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "IMAGE", jsonPath = ".spec.image.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PnpProfile extends CustomResource<PnpProfileSpec, PnpProfileStatus> implements Namespaced {
}
