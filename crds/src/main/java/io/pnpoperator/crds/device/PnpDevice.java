package io.pnpoperator.crds.device;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pnpoperator.crds.PnpApi;

/** One router, named by its lower-cased serial number; its status is its progress through the workflow. */
@Group(PnpApi.GROUP)
@Version(PnpApi.VERSION)
@ShortNames("pnpdev")
@Categories("pnp")
@AdditionalPrinterColumn(name = "SERIAL", jsonPath = ".spec.serialNumber", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PROFILE", jsonPath = ".spec.profile", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "STEP", jsonPath = ".status.step", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PID", jsonPath = ".status.identity.pid", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.observed.version",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "LAST-CONTACT", jsonPath = ".status.identity.lastContact",
        type = AdditionalPrinterColumn.Type.DATE, priority = 1)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class PnpDevice extends CustomResource<PnpDeviceSpec, PnpDeviceStatus> implements Namespaced {
}
