package io.pnpoperator.toolkit.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Instant;

/** Events about this project's resources, as {@code kubectl describe} shows them. */
public final class Events {

    private Events() {
    }

    /** @param type Normal or Warning; @param component who says it (pnp-endpoint, pnp-operator) */
    public static Event about(HasMetadata resource, String type, String reason, String message, Instant at,
                              String component) {
        return new EventBuilder()
                .withNewMetadata().withGenerateName(resource.getMetadata().getName() + "-")
                .withNamespace(resource.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(resource.getApiVersion())
                        .withKind(resource.getKind()).withName(resource.getMetadata().getName())
                        .withNamespace(resource.getMetadata().getNamespace()).withUid(resource.getMetadata().getUid())
                        .build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(at.toString()).withLastTimestamp(at.toString()).withCount(1)
                .withNewSource().withComponent(component).endSource().build();
    }
}
